"""No async plugin installed: pytest fails async tests and refuses async fixtures."""
import pytest


@pytest.fixture
async def async_value():
    return 1


@pytest.fixture
async def async_generator_value():
    yield 2


async def test_coroutine():
    pass


def test_sync_with_async_fixture(async_value):
    pass


def test_sync_with_async_generator_fixture(async_generator_value):
    pass


class TestMethods:
    async def test_method(self):
        pass

    def test_sync(self):
        pass
