import asyncio

import pytest

from conftest import record


@pytest.mark.asyncio(loop_scope="session")
async def test_same_session_loop(session_loop):
    record("test_same_session_loop")
    assert asyncio.get_running_loop() is session_loop
