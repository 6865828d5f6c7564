"""Auto mode: every async test and async fixture is pytest-asyncio's, marked or not."""
import asyncio
import contextvars
import unittest

import pytest

from conftest import record

request_id = contextvars.ContextVar("request_id")


@pytest.fixture
async def with_context():
    request_id.set("abc")
    yield
    record("context still set in teardown: %s" % request_id.get())


async def test_unmarked(resource, number):
    record("test_unmarked")
    assert (resource, number) == ("resource", 7)


async def test_fails(number):
    await asyncio.sleep(0)
    assert number == 8


def test_sync_with_async_fixture(number):
    assert number == 7


async def test_context_from_fixture(with_context):
    assert request_id.get() == "abc"


@pytest.mark.parametrize("delay", [0, 0.001])
async def test_parametrized(delay):
    await asyncio.sleep(delay)


class TestGroup:
    async def test_method(self, resource):
        record("TestGroup.test_method")
        assert asyncio.get_running_loop().is_running()

    def test_sync_method(self):
        pass


async def test_each_test_has_its_own_loop():
    loop = asyncio.get_running_loop()
    assert getattr(loop, "seen", False) is False
    loop.seen = True


async def test_raises_in_task():
    async def boom():
        raise KeyError("in a task")

    await asyncio.create_task(boom())


class TestUnittestRunsItsOwnLoop(unittest.IsolatedAsyncioTestCase):
    async def test_in_unittests_loop(self):
        self.assertTrue(asyncio.get_running_loop().is_running())
