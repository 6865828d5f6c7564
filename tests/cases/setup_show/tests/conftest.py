import pytest


@pytest.fixture(scope="session")
def database():
    yield {"users": []}


@pytest.fixture(scope="module", params=[1, "two"])
def flavour(request):
    return request.param
