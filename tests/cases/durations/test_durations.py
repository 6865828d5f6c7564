import time

import pytest


@pytest.fixture
def slow_resource():
    time.sleep(0.2)
    yield
    time.sleep(0.1)


def test_slow(slow_resource):
    time.sleep(0.3)


def test_fast():
    pass
