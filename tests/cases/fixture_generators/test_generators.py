import types

import pytest


def numbers():
    yield 1
    yield 2


@pytest.fixture
def made_elsewhere():
    # Not a generator function: pytest hands over the generator object itself.
    return numbers()


@pytest.fixture
def never_yields():
    if False:
        yield


@pytest.fixture
def yields_once():
    yield "value"


def test_a_returned_generator_is_the_value(made_elsewhere):
    assert isinstance(made_elsewhere, types.GeneratorType)
    assert list(made_elsewhere) == [1, 2]


def test_a_fixture_that_never_yields(never_yields):
    pass


def test_a_yield_fixture(yields_once):
    assert yields_once == "value"
