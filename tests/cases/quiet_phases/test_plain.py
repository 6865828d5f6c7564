"""Phases where no user code runs sit between phases where some does: the reports of each
must carry the right sections."""
import logging

import pytest

log = logging.getLogger("plain")


@pytest.mark.parametrize("n", range(3))
def test_param(n):
    print("call", n)
    assert n < 2


@pytest.fixture
def plain_value():
    return 1


@pytest.fixture
def finalized(request):
    request.addfinalizer(lambda: print("fixture finalizer"))
    return 2


def test_plain_fixture(plain_value):
    log.warning("call of a test whose fixture has no finalizer")
    assert plain_value == 2


def test_fixture_with_finalizer(finalized):
    assert finalized == 3


def test_request_finalizer(request):
    request.addfinalizer(lambda: log.error("test finalizer logs"))
    assert False


def test_records_property(record_property):
    record_property("kind", "plain")


def test_plain_after():
    pass


@pytest.mark.skipif("sys.version_info < (3,)", reason="never")
def test_skipif_string():
    assert False


@pytest.mark.xfail(reason="known")
def test_xfail():
    assert False


class TestClass:
    def setup_method(self):
        print("setup_method")

    def test_in_class(self):
        pass
