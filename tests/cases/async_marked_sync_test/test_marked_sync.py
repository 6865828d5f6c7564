"""A sync test marked asyncio runs as any sync test (pytest-asyncio only warns about it)."""
import pytest

pytestmark = pytest.mark.asyncio


def test_sync_marked():
    pass


def test_sync_marked_fails():
    assert False


async def test_coroutine():
    pass
