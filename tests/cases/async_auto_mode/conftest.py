import asyncio

import pytest


def record(line):
    with open("log.txt", "a") as log:
        log.write(line + "\n")


@pytest.fixture
async def resource():
    await asyncio.sleep(0)
    record("resource setup")
    yield "resource"
    await asyncio.sleep(0)
    record("resource teardown")


@pytest.fixture
async def number():
    return 7
