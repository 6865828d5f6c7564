import os

import pytest

LOG = os.path.join(os.path.dirname(__file__), "log.txt")


def log(message):
    with open(LOG, "a") as file:
        file.write(message + "\n")


@pytest.fixture(scope="module", params=["sqlite", "postgres"], ids=["lite", "pg"])
def backend(request):
    log("setup backend " + request.param)
    yield request.param
    log("teardown backend " + request.param)


@pytest.fixture(params=[1, 2])
def number(request):
    return request.param * 10
