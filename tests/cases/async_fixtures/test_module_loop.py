"""Loop scopes: a module-scoped async fixture and tests sharing its loop."""
import asyncio

import pytest
import pytest_asyncio

from conftest import record


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_loop():
    record("module_loop setup")
    loop = asyncio.get_running_loop()
    yield loop
    record("module_loop teardown, loop closed: %s" % loop.is_closed())


@pytest_asyncio.fixture(scope="module")
async def defaults_to_fixture_scope():
    # asyncio_default_fixture_loop_scope is unset: the loop scope is the fixture's scope.
    return asyncio.get_running_loop()


@pytest.mark.asyncio(loop_scope="module")
async def test_shares_module_loop(module_loop, defaults_to_fixture_scope):
    record("test_shares_module_loop")
    assert asyncio.get_running_loop() is module_loop
    assert defaults_to_fixture_scope is module_loop


@pytest.mark.asyncio(loop_scope="module")
async def test_shares_it_again(module_loop):
    assert asyncio.get_running_loop() is module_loop


@pytest.mark.asyncio
async def test_function_loop_is_another(module_loop):
    assert asyncio.get_running_loop() is not module_loop


@pytest.mark.asyncio(loop_scope="session")
async def test_session_loop(session_loop):
    assert asyncio.get_running_loop() is session_loop


@pytest.mark.asyncio
async def test_default_policy(event_loop_policy):
    assert asyncio.get_event_loop_policy() is event_loop_policy


@pytest.mark.asyncio(loop_scope="class")
class TestClassLoop:
    loop = None

    async def test_first(self):
        TestClassLoop.loop = asyncio.get_running_loop()

    async def test_second(self):
        assert asyncio.get_running_loop() is TestClassLoop.loop


def test_unused_ports(unused_tcp_port, unused_tcp_port_factory):
    assert unused_tcp_port > 0
    assert unused_tcp_port_factory() != unused_tcp_port_factory()
