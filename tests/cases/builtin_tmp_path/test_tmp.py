import os

import pytest

SEEN = []


def test_write_and_read(tmp_path):
    target = tmp_path / "sub" / "data.txt"
    target.parent.mkdir()
    target.write_text("hello")
    assert target.read_text() == "hello"
    assert tmp_path.name == "test_write_and_read0"
    SEEN.append(tmp_path)


def test_unique_per_test(tmp_path, tmp_path_factory):
    assert list(tmp_path.iterdir()) == []
    assert tmp_path not in SEEN
    assert tmp_path.name == "test_unique_per_test0"
    # Private to the user, as pytest's mkdir(mode=0o700) leaves it under this umask.
    umask = os.umask(0)
    os.umask(umask)
    assert tmp_path.stat().st_mode & 0o777 == 0o700 & ~umask
    assert tmp_path.parent == tmp_path_factory.getbasetemp()
    SEEN.append(tmp_path)


def test_long_names_are_cut_to_thirty_characters(tmp_path):
    assert tmp_path.name == "test_long_names_are_cut_to_thi0"


def test_all_under_one_basetemp(tmp_path, tmp_path_factory):
    basetemp = tmp_path_factory.getbasetemp()
    assert tmp_path.parent == basetemp
    assert all(path.parent == basetemp for path in SEEN)
    assert basetemp.name.startswith("pytest-") or basetemp.name == "basetemp"


def test_factory_numbers_directories(tmp_path_factory):
    first = tmp_path_factory.mktemp("data")
    second = tmp_path_factory.mktemp("data")
    assert (first.name, second.name) == ("data0", "data1")
    assert tmp_path_factory.mktemp("exact", numbered=False).name == "exact"
    with pytest.raises(ValueError):
        tmp_path_factory.mktemp("../escape")


def test_legacy_tmpdir(tmpdir, tmp_path, tmpdir_factory):
    assert str(tmpdir) == str(tmp_path)
    tmpdir.join("f.txt").write("x")
    assert (tmp_path / "f.txt").read_text() == "x"
    assert tmpdir_factory.mktemp("legacy").basename == "legacy0"


def test_a_failure_keeps_its_directory(tmp_path):
    (tmp_path / "evidence").write_text("kept")
    assert False
