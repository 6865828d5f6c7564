import pytest

from conftest import log


def test_uses_backend(backend):
    log("run test_uses_backend " + backend)


def test_backend_and_number(backend, number):
    log("run test_backend_and_number %s %d" % (backend, number))


def test_plain():
    log("run test_plain")


@pytest.fixture
def doubled(request):
    return request.param * 2


@pytest.mark.parametrize("doubled", [1, 5], indirect=True)
def test_indirect(doubled):
    assert doubled in (2, 10)


@pytest.mark.parametrize("number", [7])
def test_direct_overrides_fixture_params(number):
    assert number == 7
