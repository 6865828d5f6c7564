import pytest


@pytest.fixture
def doubled(request):
    return request.param * 2


def pytest_generate_tests(metafunc):
    if "color" in metafunc.fixturenames:
        metafunc.parametrize("color", ["red", "green"], ids=lambda value: value.upper())
