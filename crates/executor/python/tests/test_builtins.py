"""Tests of the native builtin fixtures (``builtins.py`` and the modules behind it), driven
the way the runner drives them: the fixture function is set up, phases are announced with
``builtins.begin_phase``/``end_phase`` inside the global capture, and the generator is
finished at teardown. Expected behaviour was checked against pytest 9.2.
"""
import logging
import os
import subprocess
import sys
import warnings

import pytest

from ferrotest_runtime import builtins, capture, logplugin
from ferrotest_runtime.cache import Cache
from ferrotest_runtime.config import Config
from ferrotest_runtime.tmpdir import TempPathFactory, make_tmp


class FakeNode:
    def __init__(self, nodeid="test_m.py::test_f", name="test_f"):
        self.nodeid = nodeid
        self.name = name
        self.location = ("test_m.py", 4, name)


class FakeRequest:
    def __init__(self, fixturename="capsys", config=None, node=None):
        self.fixturename = fixturename
        self.config = config or Config()
        self.node = node or FakeNode()

    def raiseerror(self, msg):
        raise RuntimeError(msg)


class Phases:
    """Set up a builtin inside ferrotest's global capture and run phases around it as the
    runner does; ``teardown`` returns each phase's captured-output sections."""

    def __init__(self):
        self.capture = capture.FDGlobalCapture()
        self.capture.start()
        self.sections = {}
        self.finalizers = []

    def setup(self, func, *args):
        self.begin("setup")
        result = func(*args)
        if hasattr(result, "send"):
            value = next(result)
            self.finalizers.append(lambda: next(result, None))
            return value
        return result

    def begin(self, when):
        builtins.begin_phase(when)

    def end(self, when, outcome="passed"):
        builtins.end_phase(when, outcome)
        out, err = self.capture.read()
        self.sections[when] = [("Captured %s %s" % (name, when), text)
                               for name, text in (("stdout", out), ("stderr", err)) if text]

    def teardown(self):
        self.begin("teardown")
        while self.finalizers:
            self.finalizers.pop()()
        self.end("teardown")
        return self.finish()

    def finish(self):
        self.capture.stop()
        return self.sections


@pytest.fixture
def logging_plugin():
    """ferrotest's logging plugin, configured as a session configures it."""
    logplugin.configure(Config(), logplugin.Terminal(80, False))
    yield logplugin.PLUGIN
    logplugin.unconfigure()


# -- capture fixtures ---------------------------------------------------------------------------

def test_capsys_reads_what_the_test_printed_and_keeps_it_out_of_the_report():
    phases = Phases()
    cap = phases.setup(builtins.capsys, FakeRequest("capsys"))
    phases.end("setup")
    phases.begin("call")
    print("hello")
    sys.stderr.write("err\n")
    result = cap.readouterr()
    print("unread")
    phases.end("call")
    sections = phases.teardown()
    assert result == ("hello\n", "err\n")
    assert (type(result).__name__, result.out, result.err) == ("CaptureResult", "hello\n", "err\n")
    # Like pytest, output nobody read reaches the report section of its own phase.
    assert sections["call"] == [("Captured stdout call", "unread\n")]
    assert sections["teardown"] == []


def test_capsys_leaves_fd_writes_to_the_global_capture():
    phases = Phases()
    cap = phases.setup(builtins.capsys, FakeRequest("capsys"))
    os.write(1, b"fd\n")
    phases.end("setup")
    sections = phases.teardown()
    assert cap.readouterr() == ("", "")
    assert sections["setup"] == [("Captured stdout setup", "fd\n")]


def test_capfd_captures_os_write_and_subprocesses():
    phases = Phases()
    cap = phases.setup(builtins.capfd, FakeRequest("capfd"))
    print("print")
    os.write(1, b"raw\n")
    subprocess.run([sys.executable, "-c", "import sys; print('sub'); sys.stderr.write('suberr\\n')"], check=True)
    result = cap.readouterr()
    phases.end("setup")
    sections = phases.teardown()
    assert result == ("print\nraw\nsub\n", "suberr\n")
    assert sections["setup"] == []


def test_capfd_gives_the_descriptors_back_at_teardown():
    phases = Phases()
    phases.setup(builtins.capfd, FakeRequest("capfd"))
    phases.end("setup")
    phases.begin("teardown")
    phases.finalizers.pop()()
    os.write(1, b"after\n")
    phases.end("teardown")
    sections = phases.finish()
    assert sections["teardown"] == [("Captured stdout teardown", "after\n")]


def test_binary_variants_return_bytes():
    phases = Phases()
    cap = phases.setup(builtins.capsysbinary, FakeRequest("capsysbinary"))
    print("x")
    sys.stdout.buffer.write(b"\xff")
    assert cap.readouterr() == (b"x\n\xff", b"")
    phases.end("setup")
    phases.teardown()

    phases = Phases()
    cap = phases.setup(builtins.capfdbinary, FakeRequest("capfdbinary"))
    os.write(2, b"\xfe")
    assert cap.readouterr() == (b"", b"\xfe")
    phases.end("setup")
    phases.teardown()


def test_capteesys_passes_output_on_once():
    phases = Phases()
    cap = phases.setup(builtins.capteesys, FakeRequest("capteesys"))
    print("both")
    phases.end("setup")
    sections = phases.teardown()
    assert cap.readouterr().out == "both\n"
    assert sections["setup"] == [("Captured stdout setup", "both\n")]


def test_disabled_lets_output_through_to_the_terminal(capfd):
    # pytest's own capfd plays the terminal underneath ferrotest's capture.
    phases = Phases()
    cap = phases.setup(builtins.capsys, FakeRequest("capsys"))
    with cap.disabled():
        print("to the terminal")
    print("captured")
    phases.end("setup")
    sections = phases.teardown()
    assert capfd.readouterr().out == "to the terminal\n"
    assert cap.readouterr().out == "captured\n"
    assert sections["setup"] == [("Captured stdout setup", "captured\n")]


def test_two_capture_fixtures_at_once_are_an_error():
    phases = Phases()
    phases.setup(builtins.capsys, FakeRequest("capsys"))
    with pytest.raises(RuntimeError, match="cannot use capfd and capsys at the same time"):
        next(builtins.capfd(FakeRequest("capfd")))
    phases.end("setup")
    phases.teardown()


# -- caplog -------------------------------------------------------------------------------------

def test_caplog_keeps_each_phase_apart_and_formats_like_pytest(logging_plugin):
    logger = logging.getLogger("ferrotest.test")
    phases = Phases()
    caplog = phases.setup(builtins.caplog, FakeRequest("caplog"))
    logger.warning("in setup")
    phases.end("setup")
    phases.begin("call")
    logger.info("dropped: the root logger is at WARNING")
    caplog.set_level(logging.INFO)
    logger.info("kept %d", 1)
    assert caplog.messages == ["kept 1"]
    assert caplog.record_tuples == [("ferrotest.test", logging.INFO, "kept 1")]
    assert [r.getMessage() for r in caplog.get_records("setup")] == ["in setup"]
    assert caplog.get_records("call") is caplog.records
    assert caplog.text.startswith("INFO     ferrotest.test:test_builtins.py:")
    assert caplog.text.endswith(" kept 1\n")
    caplog.clear()
    assert caplog.records == [] and caplog.text == ""
    phases.end("call")
    phases.teardown()
    assert logging.getLogger().level == logging.WARNING
    assert caplog.handler not in logging.getLogger().handlers


def test_caplog_at_level_restores_levels(logging_plugin):
    phases = Phases()
    caplog = phases.setup(builtins.caplog, FakeRequest("caplog"))
    with caplog.at_level(logging.DEBUG, logger="ferrotest.at"):
        logging.getLogger("ferrotest.at").debug("debug")
    assert logging.getLogger("ferrotest.at").level == logging.NOTSET
    assert caplog.messages == ["debug"]
    phases.end("setup")
    phases.teardown()


# -- recwarn ------------------------------------------------------------------------------------

def test_recwarn_records_and_pops_by_category():
    recorder_gen = builtins.recwarn()
    recwarn = next(recorder_gen)
    for _ in range(3):
        warnings.warn("once per location", UserWarning)
    warnings.warn("deprecated", DeprecationWarning)
    assert len(recwarn) == 2
    assert str(recwarn.pop(DeprecationWarning).message) == "deprecated"
    assert [str(w.message) for w in recwarn] == ["once per location"]
    with pytest.raises(AssertionError, match="not found in warning list"):
        recwarn.pop(RuntimeWarning)
    recwarn.clear()
    assert recwarn.list == []
    next(recorder_gen, None)


# -- tmp_path -----------------------------------------------------------------------------------

def _factory(tmp_path, basetemp=None, **ini):
    config = Config(rootdir=str(tmp_path), ini=ini, options={"basetemp": basetemp})
    return TempPathFactory.from_config(config)


def test_mktemp_numbers_directories_and_links_the_latest(tmp_path):
    factory = _factory(tmp_path, basetemp=str(tmp_path / "base"))
    first, second = factory.mktemp("foo"), factory.mktemp("foo")
    assert (first.name, second.name) == ("foo0", "foo1")
    assert os.readlink(factory.getbasetemp() / "foocurrent") == str(second)
    assert factory.mktemp("plain", numbered=False).name == "plain"
    with pytest.raises(ValueError, match="is not a normalized and relative path"):
        factory.mktemp("../outside")


def test_tmp_path_is_named_after_the_test(tmp_path):
    factory = _factory(tmp_path, basetemp=str(tmp_path / "base"))
    path = make_tmp("test_a_very_long_name[with-params and spaces]", factory)
    assert path.name == "test_a_very_long_name_with_par0"


def test_basetemp_layout_and_retention(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTEST_DEBUG_TEMPROOT", str(tmp_path))
    bases = []
    for _ in range(4):
        factory = _factory(tmp_path, tmp_path_retention_count="2")
        bases.append(factory.getbasetemp())
        assert (bases[-1] / ".lock").is_file()
        factory.close()
        assert not (bases[-1] / ".lock").exists()
    user_dir = bases[0].parent
    assert user_dir.name.startswith("pytest-of-")
    assert [b.name for b in bases] == ["pytest-0", "pytest-1", "pytest-2", "pytest-3"]
    assert sorted(p.name for p in user_dir.iterdir()) == ["pytest-2", "pytest-3", "pytest-current"]
    assert os.readlink(user_dir / "pytest-current") == str(bases[-1])


def test_given_basetemp_is_emptied(tmp_path):
    base = tmp_path / "base"
    (base / "old").mkdir(parents=True)
    factory = _factory(tmp_path, basetemp=str(base))
    assert factory.getbasetemp() == base and list(base.iterdir()) == []


def test_tmpdir_is_a_py_path(tmp_path):
    from _pytest._py.path import LocalPath

    assert isinstance(builtins.tmpdir(tmp_path), LocalPath)


def test_retention_policy_failed_keeps_only_failed_tests(tmp_path):
    factory = _factory(tmp_path, basetemp=str(tmp_path / "base"), tmp_path_retention_policy="failed")
    kept = []
    for outcome in ("passed", "failed"):
        fixture = builtins.tmp_path(FakeRequest(node=FakeNode(name="test_" + outcome)), factory)
        path = next(fixture)
        builtins.end_phase("call", outcome)
        next(fixture, None)
        kept.append(path.exists())
    assert kept == [False, True]


# -- cache --------------------------------------------------------------------------------------

def test_cache_writes_pytests_format(tmp_path):
    cache = Cache.for_config(Config(rootdir=str(tmp_path)))
    cache.set("my/key", {"b": [1, 2], "a": "é"})
    assert cache.get("my/key", None) == {"b": [1, 2], "a": "é"}
    assert cache.get("missing", 5) == 5
    root = tmp_path / ".pytest_cache"
    assert (root / "v" / "my" / "key").read_text(encoding="utf-8") == '{\n  "b": [\n    1,\n    2\n  ],\n  "a": "é"\n}'
    assert sorted(p.name for p in root.iterdir()) == [".gitignore", "CACHEDIR.TAG", "README.md", "v"]
    assert cache.mkdir("stuff") == root / "d" / "stuff"
    with pytest.raises(ValueError):
        cache.mkdir("a/b")
    with pytest.raises(ValueError, match="escape the cache directory"):
        cache.set("../../x", 1)


def test_cache_dir_ini(tmp_path):
    cache = Cache.for_config(Config(rootdir=str(tmp_path), ini={"cache_dir": "custom"}))
    cache.set("k", 1)
    assert (tmp_path / "custom" / "v" / "k").read_text() == "1"


# -- the rest -----------------------------------------------------------------------------------

def test_record_property_is_kept_for_the_reports():
    record = builtins.record_property(FakeRequest(node=FakeNode("t.py::test_p")))
    record("answer", 42)
    record("name", "x")
    assert builtins.string_properties("t.py::test_p") == [("answer", "42"), ("name", "x")]
    builtins.forget_user_properties("t.py::test_p")
    assert builtins.string_properties("t.py::test_p") == []


def test_record_testsuite_property_wants_string_names():
    record = builtins.record_testsuite_property()
    with pytest.raises(TypeError, match="name parameter needs to be a string, but int given"):
        record(1, "v")


def test_monkeypatch_is_pytests_and_undone():
    fixture = builtins.monkeypatch()
    patcher = next(fixture)
    assert type(patcher) is pytest.MonkeyPatch
    patcher.setenv("FERROTEST_BUILTIN_TEST", "1")
    next(fixture, None)
    assert "FERROTEST_BUILTIN_TEST" not in os.environ


def test_builtins_are_pytests_names_and_scopes():
    assert {name: scope for name, _, scope in builtins.BUILTINS} == {
        "cache": "function", "capfd": "function", "capfdbinary": "function", "caplog": "function",
        "capsys": "function", "capsysbinary": "function", "capteesys": "function",
        "doctest_namespace": "session", "monkeypatch": "function", "pytestconfig": "session",
        "record_property": "function", "record_testsuite_property": "session",
        "record_xml_attribute": "function", "recwarn": "function", "subtests": "function", "tmp_path": "function",
        "tmp_path_factory": "session", "tmpdir": "function", "tmpdir_factory": "session",
    }


@pytest.mark.parametrize("name", sorted(builtins.PYTEST_LOCATIONS))
def test_pytest_locations_are_where_pytest_defines_each_builtin(name):
    """``--fixtures`` shows ``co_firstlineno``: the line of the ``@fixture`` decorator."""
    import importlib

    import _pytest.legacypath

    filename, _, lineno = builtins.PYTEST_LOCATIONS[name].partition(":")
    module = importlib.import_module("_pytest." + filename[:-3])
    holder = _pytest.legacypath.LegacyTmpdirPlugin if filename == "legacypath.py" else module
    function = getattr(holder, name)._get_wrapped_function()
    # legacypath's are static methods of its plugin class.
    function = getattr(function, "__func__", function)
    assert function.__code__.co_firstlineno == int(lineno)
    assert builtins.defining_plugins(name) >= {filename[:-3]}
