import io
import os
import subprocess
import sys

import pytest


@pytest.fixture
def noisy():
    print("setup print")
    sys.stderr.write("setup stderr\n")
    yield
    print("teardown print")
    os.write(1, b"teardown fd write\n")


def test_fails_with_output_in_every_phase(noisy):
    print("call print")
    os.write(1, b"call fd write\n")
    subprocess.run([sys.executable, "-c", "print('subprocess print')"], check=True)
    sys.stderr.write("call stderr\n")
    assert 1 == 2


def test_passes_with_output(noisy):
    print("passing call print")


def test_quiet_pass():
    pass


def test_reading_stdin_is_refused(pytestconfig):
    capture = pytestconfig.getoption("capture")
    if capture in ("no", "tee-sys"):
        pytest.skip("stdin is left alone")
    with pytest.raises(OSError, match="^pytest: reading from stdin while output is captured!  Consider using `-s`.$"):
        input()
    if capture == "fd":
        assert os.read(0, 10) == b""


def test_capsys_disabled_reaches_the_terminal(capsys):
    print("captured by capsys")
    with capsys.disabled():
        print("capsys disabled print")
    assert capsys.readouterr().out == "captured by capsys\n"


def test_capfd_disabled_reaches_the_terminal(capfd):
    with capfd.disabled():
        print("capfd disabled print")
        os.write(1, b"capfd disabled fd write\n")
    os.write(1, b"captured by capfd\n")
    assert capfd.readouterr().out == "captured by capfd\n"


def test_replaces_sys_stdout_for_good():
    sys.stdout = io.StringIO()


def test_prints_after_the_replacement():
    print("captured again")
