"""Calls of parametrized tests that need no fixture: the runner's quickest path. Each call
ends its own way, with its own output, logs and warnings, and -x/--maxfail stop among them."""
import logging
import sys
import warnings

import pytest

log = logging.getLogger("plain")


@pytest.mark.parametrize("n", range(8))
def test_value(n):
    print("out", n)
    if n % 2:
        sys.stderr.write("err %d\n" % n)
    if n == 1:
        log.warning("logged by %d", n)
    if n == 2:
        warnings.warn("warned by 2")
    if n == 3:
        assert n == 4
    if n == 4:
        pytest.skip("skipped 4")
    if n == 5:
        pytest.xfail("xfailed 5")
    if n == 6:
        pytest.fail("failed 6", pytrace=False)


@pytest.mark.parametrize("a, b", [(1, 2), (4, 3)])
def test_two_args(a, b):
    assert a < b


def test_after():
    print("after")
