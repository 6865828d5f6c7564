import os
import sys

import pytest

VALUE = "original"


def test_setattr_and_setenv(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "VALUE", "patched")
    monkeypatch.setattr("os.sep", "!")
    monkeypatch.setenv("FERROTEST_CASE_VAR", "1")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setitem(os.environ, "FERROTEST_CASE_ITEM", "2")
    assert VALUE == "patched" and os.sep == "!"
    assert os.environ["FERROTEST_CASE_VAR"] == "1"
    assert type(monkeypatch) is pytest.MonkeyPatch


def test_undone_for_the_next_test():
    assert VALUE == "original" and os.sep == "/"
    assert "FERROTEST_CASE_VAR" not in os.environ
    assert "FERROTEST_CASE_ITEM" not in os.environ
    assert "HOME" in os.environ


def test_chdir_and_syspath(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert os.getcwd() == str(tmp_path)
    assert sys.path[0] == str(tmp_path)


def test_cwd_restored(pytestconfig):
    assert os.getcwd() == str(pytestconfig.rootpath)


def test_failure_still_undoes(monkeypatch):
    monkeypatch.setenv("FERROTEST_CASE_VAR", "x")
    assert False


def test_after_failure():
    assert "FERROTEST_CASE_VAR" not in os.environ
