import os
import subprocess
import sys


def test_capsys_reads_prints(capsys):
    print("hello")
    sys.stderr.write("oops\n")
    captured = capsys.readouterr()
    assert captured == ("hello\n", "oops\n")
    assert (captured.out, captured.err) == ("hello\n", "oops\n")
    assert type(captured).__name__ == "CaptureResult"
    print("again")
    assert capsys.readouterr().out == "again\n"
    assert capsys.readouterr() == ("", "")


def test_capsys_ignores_fd_writes(capsys):
    os.write(1, b"fd level\n")
    assert capsys.readouterr().out == ""


def test_capfd_sees_fd_writes_and_subprocesses(capfd):
    print("print")
    os.write(1, b"raw\n")
    subprocess.run([sys.executable, "-c", "import sys; print('child'); sys.stderr.write('child err\\n')"], check=True)
    out, err = capfd.readouterr()
    assert out == "print\nraw\nchild\n"
    assert err == "child err\n"


def test_binary_variants(capsysbinary):
    print("text")
    sys.stdout.buffer.write(b"\xff\x00")
    assert capsysbinary.readouterr() == (b"text\n\xff\x00", b"")


def test_capfdbinary(capfdbinary):
    os.write(2, b"\xfe")
    assert capfdbinary.readouterr() == (b"", b"\xfe")


def test_capteesys(capteesys):
    print("both ways")
    assert capteesys.readouterr().out == "both ways\n"


def test_disabled(capsys):
    with capsys.disabled():
        print("straight to the terminal")
    print("captured")
    assert capsys.readouterr().out == "captured\n"


def test_two_at_once_is_an_error(capsys, request):
    request.getfixturevalue("capfd")


def test_failure_with_capsys(capsys):
    print("shown in the report")
    assert False
