import warnings

import pytest

from helper import noisy, old_api

warnings.warn("warned while importing", UserWarning)


def test_no_warning():
    pass


def test_user_warning():
    warnings.warn("plain user warning", UserWarning)


def test_deprecation_always_shown():
    assert old_api() == 1
    assert old_api() == 1


def test_pending_deprecation():
    warnings.warn("pending", PendingDeprecationWarning)


def test_from_helper():
    noisy()


def test_same_message_again():
    noisy()


def test_setup_and_teardown(warns_around):
    pass


def test_repeated_in_loop():
    for _ in range(3):
        warnings.warn("once per location", RuntimeWarning)


@pytest.mark.parametrize("n", range(12))
def test_many(n):
    warnings.warn("collapsed by file", UserWarning)


class TestWithInit:
    def __init__(self):
        pass

    def test_never_collected(self):
        pass


class TestUsesModuleFixture:
    def test_uses_it(self, module_resource):
        pass
