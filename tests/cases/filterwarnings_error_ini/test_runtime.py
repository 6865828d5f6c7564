import warnings

import pytest


def test_warning_becomes_failure():
    warnings.warn("now an error", UserWarning)


def test_ignored_by_ini():
    warnings.warn("tolerated here", UserWarning)


def test_deprecation_is_an_error_too():
    warnings.warn("old", DeprecationWarning)


def test_default_action_still_records():
    warnings.warn("just recorded", ResourceWarning)


def test_caught_by_pytest_warns():
    with pytest.warns(UserWarning, match="expected"):
        warnings.warn("expected", UserWarning)


@pytest.fixture
def warns_in_setup():
    warnings.warn("setup error", RuntimeWarning)


def test_error_in_setup(warns_in_setup):
    pass


def test_passes():
    pass
