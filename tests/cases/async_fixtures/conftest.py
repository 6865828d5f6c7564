import asyncio

import pytest
import pytest_asyncio


def record(line):
    with open("log.txt", "a") as log:
        log.write(line + "\n")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def session_loop():
    record("session_loop setup")
    loop = asyncio.get_running_loop()
    yield loop
    record("session_loop teardown, loop closed: %s" % loop.is_closed())
