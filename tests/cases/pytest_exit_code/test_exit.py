import pytest


def test_before():
    pass


def test_exits():
    pytest.exit("bye", returncode=3)


def test_never_runs():
    pass
