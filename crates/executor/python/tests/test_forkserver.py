"""The fork server's Python half: preloading, and a child taking on its client's state."""
import io
import os
import subprocess
import sys
import textwrap

import forkserver


def test_a_module_that_fails_to_import_leaves_nothing_behind(tmp_path, monkeypatch):
    (tmp_path / "broken_pkg").mkdir()
    (tmp_path / "broken_pkg" / "__init__.py").write_text("from . import helper\nraise RuntimeError('no')\n")
    (tmp_path / "broken_pkg" / "helper.py").write_text("")
    (tmp_path / "fine_mod.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    forkserver.preload(runtime=("broken_pkg", "fine_mod"), hidden=())
    try:
        assert "broken_pkg" not in sys.modules
        assert "broken_pkg.helper" not in sys.modules
        assert "fine_mod" in sys.modules
    finally:
        sys.modules.pop("fine_mod", None)


def test_preloaded_modules_stay_hidden_until_a_run_imports_one(tmp_path):
    (tmp_path / "hidden_a.py").write_text("import hidden_b\nVALUE = 1\nprint('ran a')\n")
    (tmp_path / "hidden_b.py").write_text("print('ran b')\n")
    out = _run_isolated(
        """
        import sys, forkserver
        forkserver.preload(runtime=(), hidden=("hidden_a",))
        print("hidden_a" in sys.modules, "hidden_b" in sys.modules)
        import hidden_b
        print("hidden_a" in sys.modules)
        import hidden_a
        print(hidden_a.VALUE, hidden_a.__spec__.origin.endswith("hidden_a.py"), type(hidden_a.__loader__).__name__)
        print(any(isinstance(f, forkserver.Preloaded) for f in sys.meta_path))
        """,
        cwd=str(tmp_path),
    )
    assert out.split("\n") == ["ran b", "ran a", "False False", "True", "1 True SourceFileLoader", "False", ""]


def test_watched_dirs_are_the_existing_directories_of_sys_path(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", ["", str(tmp_path), str(tmp_path / "missing"), "/x.zip"])
    assert forkserver.watched_dirs() == [str(tmp_path)]


def _run_isolated(code, cwd=None):
    """``adopt`` and ``preload`` change the whole process: try them in a fresh interpreter."""
    script = f"import sys; sys.path.insert(0, {os.path.dirname(forkserver.__file__)!r})\n" + textwrap.dedent(code)
    server_env = {"SERVER_ONLY": "1", "PATH": os.environ["PATH"], "PYTHONPATH": cwd or ""}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=server_env, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_adopt_takes_the_clients_environment_and_argv():
    out = _run_isolated(
        """
        import os, sys, forkserver
        forkserver.adopt([b"ferrotest", b"-q", b"\\xff"], {b"CLIENT_ONLY": b"1", b"PATH": os.environb[b"PATH"]})
        print(sorted(os.environ) == ["CLIENT_ONLY", "PATH"], os.getenv("SERVER_ONLY"))
        print(os.popen("echo $CLIENT_ONLY").read().strip())
        print(sys.argv == sys.orig_argv == ["ferrotest", "-q", "\\udcff"])
        """
    )
    assert out.split("\n")[:3] == ["True None", "1", "True"]


def test_stdout_is_line_buffered_only_on_a_terminal():
    stream = io.TextIOWrapper(io.BytesIO(), line_buffering=True)
    with open(os.devnull, "w") as devnull:
        forkserver._rebuffer(stream, devnull.fileno())
    assert not stream.line_buffering
    terminal, other_end = os.openpty()
    try:
        forkserver._rebuffer(stream, other_end)
    finally:
        os.close(terminal)
        os.close(other_end)
    assert stream.line_buffering
    unbuffered = io.TextIOWrapper(io.BytesIO(), write_through=True)
    forkserver._rebuffer(unbuffered, 1)
    assert unbuffered.write_through and not unbuffered.line_buffering


def test_a_run_forked_from_a_server_caches_what_it_imports_in_its_own_cache(tmp_path, monkeypatch):
    import ferrotest_runtime

    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.setattr(ferrotest_runtime, "_FINDER", None)
    sources = {"server_side": "VALUE = 1", "client_side": "VALUE = 2"}
    ferrotest_runtime.install(sources, str(tmp_path / "server"), "salt")
    monkeypatch.delitem(sys.modules, "ferrotest_runtime.server_side", raising=False)
    monkeypatch.delitem(sys.modules, "ferrotest_runtime.client_side", raising=False)
    import ferrotest_runtime.server_side  # noqa: F401

    ferrotest_runtime.use_cache(str(tmp_path / "client"), "salt")
    import ferrotest_runtime.client_side  # noqa: F401

    assert len(os.listdir(tmp_path / "server")) == 1
    assert len(os.listdir(tmp_path / "client")) == 1
