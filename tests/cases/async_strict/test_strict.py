"""pytest-asyncio's strict mode: only what is marked (or made by pytest_asyncio.fixture) is its."""
import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def answer():
    await asyncio.sleep(0)
    return 42


@pytest_asyncio.fixture
async def connection():
    await asyncio.sleep(0)
    yield "open"
    await asyncio.sleep(0)


@pytest.fixture
async def plain_async_fixture():
    return "never awaited by pytest-asyncio in strict mode"


@pytest.mark.asyncio
async def test_marked(answer, connection):
    await asyncio.sleep(0)
    assert (answer, connection) == (42, "open")


@pytest.mark.asyncio
async def test_marked_fails(answer):
    await asyncio.sleep(0)
    assert answer == 43


async def test_unmarked_is_not_run():
    pass


@pytest.mark.asyncio
async def test_plain_async_fixture_is_an_error(plain_async_fixture):
    pass


@pytest.mark.asyncio
async def test_skips():
    pytest.skip("not today")


@pytest.mark.asyncio
@pytest.mark.xfail(reason="known bug")
async def test_xfails():
    raise ValueError("bug")


@pytest.mark.asyncio
@pytest.mark.parametrize("n", [1, 2])
async def test_parametrized(n, answer):
    assert answer + n > 42


@pytest.mark.asyncio
class TestMarkedClass:
    async def test_method(self, answer):
        assert asyncio.get_running_loop() is not None

