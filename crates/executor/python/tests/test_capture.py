"""Tests of the global capture (``capture.py``) for each ``--capture`` method, with pytest's
own ``capfd`` playing the terminal underneath. Expected behaviour was checked against pytest 9.2.
"""
import io
import os
import subprocess
import sys
from contextlib import contextmanager

import pytest

from ferrotest_runtime import capture


@contextmanager
def capturing(method):
    """The global capture of ``method``, started as the test loop starts it."""
    cap = capture.global_capture(method)
    cap.start()
    try:
        yield cap
    finally:
        cap.stop()


def test_fd_capture_takes_prints_fd_writes_and_subprocesses_in_order(capfd):
    with capturing("fd") as cap:
        print("print")
        os.write(1, b"fd write\n")
        subprocess.run([sys.executable, "-c", "print('subprocess')"], check=True)
        os.write(2, b"err\n")
        first = cap.read()
        print("second phase")
        second = cap.read()
    assert first == ("print\nfd write\nsubprocess\n", "err\n")
    assert second == ("second phase\n", "")
    assert capfd.readouterr() == ("", "")


def test_sys_capture_leaves_fd_writes_to_the_terminal(capfd):
    with capturing("sys") as cap:
        print("print")
        os.write(1, b"fd write\n")
        read = cap.read()
    assert read == ("print\n", "")
    assert capfd.readouterr().out == "fd write\n"


def test_tee_sys_capture_passes_output_on_by_the_end_of_the_phase(capfd):
    with capturing("tee-sys") as cap:
        print("both")
        read = cap.read()
        terminal = capfd.readouterr().out
    assert (read, terminal) == (("both\n", ""), "both\n")


@pytest.mark.parametrize("method", ["fd", "sys"])
def test_stdin_refuses_to_be_read_and_comes_back(method):
    stdin = sys.stdin
    with capturing(method):
        with pytest.raises(OSError, match="^pytest: reading from stdin while output is captured!  Consider using `-s`.$"):
            input()
        if method == "fd":
            assert os.read(0, 1) == b""
    assert sys.stdin is stdin


@pytest.mark.parametrize("method", ["tee-sys", "no"])
def test_tee_sys_and_no_capture_leave_stdin_alone(method):
    stdin = sys.stdin
    with capturing(method):
        assert sys.stdin is stdin


def test_suspending_lets_output_through(capfd):
    with capturing("fd") as cap:
        cap.suspend()
        print("to the terminal")
        cap.resume()
        print("captured")
        read = cap.read()
    assert read == ("captured\n", "")
    assert capfd.readouterr().out == "to the terminal\n"


@pytest.mark.parametrize("method", ["fd", "sys"])
def test_a_replaced_sys_stdout_is_taken_back_after_the_phase(method):
    with capturing(method) as cap:
        sys.stdout = io.StringIO()
        cap.read()
        print("next phase")
        read = cap.read()
    assert read == ("next phase\n", "")
