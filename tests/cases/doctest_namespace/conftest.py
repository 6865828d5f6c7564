import pytest


@pytest.fixture(autouse=True)
def add_names(doctest_namespace):
    doctest_namespace["answer"] = 42


@pytest.fixture
def greeting():
    return "hello"
