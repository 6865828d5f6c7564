import warnings

import pytest


@pytest.fixture
def warns_around():
    warnings.warn("fixture setup warns", UserWarning)
    yield
    warnings.warn("fixture teardown warns", UserWarning)


@pytest.fixture(scope="module")
def module_resource():
    yield
    warnings.warn("module teardown warns", RuntimeWarning)
