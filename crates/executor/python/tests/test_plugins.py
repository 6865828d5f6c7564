"""Loading plugins (``plugins``) and calling their hooks (``hooks``), checked against what
``importlib.metadata``, pluggy and pytest 9.2 do with the same distributions and plugins."""
import importlib.metadata
import re
import sys
import types

import pluggy
import pytest
from _pytest.config import _get_plugin_specs_as_list, _iter_rewritable_modules

from ferrotest_runtime import hooks, plugins


def _dist(site, dirname, name, version, entry_points="", record=None):
    info = site / dirname
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: %s\nVersion: %s\n\nA description.\n" % (name, version))
    if entry_points:
        (info / "entry_points.txt").write_text(entry_points)
    if record is not None:
        (info / "RECORD").write_text("".join("%s,,\n" % path for path in record))


@pytest.fixture
def site(tmp_path, monkeypatch):
    """An empty directory as the whole of sys.path."""
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    return tmp_path


def test_distributions_are_found_in_importlib_metadata_order(site):
    _dist(site, "zeta_plugin-2.0.dist-info", "zeta-plugin", "2.0", "[pytest11]\nzeta = zeta_plugin\n")
    _dist(site, "Alpha.Lib-1.0.dist-info", "Alpha.Lib", "1.0")
    _dist(site, "pytest_beta-0.3.egg-info", "pytest-beta", "0.3",
          "[console_scripts]\nbeta = beta:main\n\n[pytest11]\n# a comment\nbeta = beta.plugin:Plugin.instance [extra]\n")
    expected = [(dist.metadata["Name"], dist.version) for dist in importlib.metadata.distributions()]
    found = plugins.distributions()
    assert [(dist.project_name, dist.version) for dist in found] == expected
    expected_eps = [[(ep.name, ep.value) for ep in dist.entry_points if ep.group == "pytest11"]
                    for dist in importlib.metadata.distributions()]
    assert [dist.entry_points() for dist in found] == expected_eps


@pytest.mark.parametrize("files", [
    ["pytest_mock/__init__.py", "pytest_mock/plugin.py", "pytest_mock-3.17.0.dist-info/METADATA"],
    ["single.py", "setup.py", "__editable___x_finder.py", "pkg/__init__.py"],
    ["src/pkg/__init__.py", "src/pkg/mod.py", "src/pkg.egg-info/PKG-INFO", "LICENSE"],
    ["a/b/c.py"],
])
def test_rewritable_modules_are_pytests(files):
    assert sorted(plugins._rewritable_modules(files)) == sorted(set(_iter_rewritable_modules(files)))


def test_without_a_record_the_entry_points_package_is_rewritten(site):
    _dist(site, "editable-1.0.dist-info", "editable", "1.0", "[pytest11]\ned = editable_pkg.plugin\n")
    _dist(site, "recorded-1.0.dist-info", "recorded", "1.0", "[pytest11]\nrec = rec\n",
          record=["rec.py", "recorded-1.0.dist-info/RECORD"])
    assert sorted(dist.rewritable_modules() for dist in plugins.distributions()) == [["editable_pkg"], ["rec"]]


@pytest.fixture
def manager(monkeypatch):
    """A fresh plugin manager and hook registry."""
    monkeypatch.setattr(hooks, "_PLUGINS", [])
    monkeypatch.setattr(hooks, "_NEW_PLUGIN_MODULES", [])
    fresh = plugins.PluginManager()
    monkeypatch.setattr(plugins, "MANAGER", fresh)
    return fresh


def test_blocking_follows_pytest(manager):
    manager.consider_pluginarg("no:mock")
    assert manager.is_blocked("mock") and manager.is_blocked("pytest_mock")
    manager.consider_pluginarg("no:cacheprovider")
    assert manager.is_blocked("stepwise")
    assert not manager.has_plugin("cacheprovider") and manager.has_plugin("terminal")
    with pytest.raises(hooks.UsageError, match="plugin mark cannot be disabled"):
        manager.consider_pluginarg("no:mark")
    with pytest.raises(hooks.UsageError, match="Blocking conftest files"):
        manager.consider_pluginarg("no:conftest.py")


def test_a_missing_plugin_is_a_usage_error_and_a_broken_one_an_import_failure(manager, site):
    with pytest.raises(hooks.UsageError, match="""Error importing plugin "ferrotest_nowhere": No module named"""):
        manager.consider_pluginarg("ferrotest_nowhere")
    (site / "ferrotest_broken_plugin.py").write_text("import ferrotest_nowhere\n")
    with pytest.raises(plugins.PluginImportFailure) as failure:
        manager.consider_pluginarg("ferrotest_broken_plugin")
    assert failure.value.text.endswith("E   ModuleNotFoundError: No module named 'ferrotest_nowhere'")


@pytest.mark.parametrize("specs", [None, "", "a", "a,b.c", ["a", "b"], ("a",), types.ModuleType("pytest_plugins"), 1])
def test_pytest_plugins_values_name_what_pytests_name(specs):
    try:
        expected = _get_plugin_specs_as_list(specs)
    except pytest.UsageError as error:
        with pytest.raises(hooks.UsageError, match=re.escape(str(error))):
            plugins._plugin_specs(specs)
    else:
        assert plugins._plugin_specs(specs) == expected


def test_a_plugins_own_pytest_plugins_load_after_it(manager, site):
    (site / "ferro_outer_plugin.py").write_text("pytest_plugins = 'ferro_inner_plugin'\n")
    (site / "ferro_inner_plugin.py").write_text("")
    try:
        manager.consider_pluginarg("no:ferro_inner_plugin")
        manager.consider_pluginarg("ferro_outer_plugin")
        assert manager.get_plugin("ferro_inner_plugin") is None
        manager.unblock("ferro_inner_plugin")
        manager.consider_module(sys.modules["ferro_outer_plugin"])
        loaded = [plugin.__name__ for _, plugin in hooks._PLUGINS]
        assert loaded == ["ferro_outer_plugin", "ferro_inner_plugin"]
    finally:
        sys.modules.pop("ferro_outer_plugin", None)
        sys.modules.pop("ferro_inner_plugin", None)


def test_entry_points_load_by_name_and_fill_the_header(manager, site):
    _dist(site, "pytest_ferro_one-1.0.dist-info", "pytest-ferro-one", "1.0", "[pytest11]\nferro_one = ferro_one_plugin\n")
    _dist(site, "ferro_two-2.0.dist-info", "ferro-two", "2.0", "[pytest11]\nferro_two = ferro_two_plugin:Holder.plugin\n")
    (site / "ferro_one_plugin.py").write_text("def pytest_configure(config): pass\n")
    (site / "ferro_two_plugin.py").write_text(
        "class Plugin:\n    def pytest_sessionstart(self, session): pass\n\n"
        "class Holder:\n    plugin = Plugin()\n")
    try:
        manager.consider_pluginarg("no:ferro_two")
        assert manager.load_entry_points() == 1
        manager.consider_pluginarg("ferro_two")
        assert manager.header_names() == ["ferro-one-1.0", "ferro-two-2.0"]
        two = sys.modules["ferro_two_plugin"].Holder.plugin
        assert [plugin for _, plugin in hooks._PLUGINS] == [sys.modules["ferro_one_plugin"], two]
        assert manager.get_plugin("ferro_two") is two
    finally:
        sys.modules.pop("ferro_one_plugin", None)
        sys.modules.pop("ferro_two_plugin", None)


def test_hooks_ferrotest_never_calls_are_named(manager, capsys):
    plugin = types.ModuleType("ferro_demo")
    exec(
        "import pytest\n"
        "def pytest_configure(config): pass\n"
        "def pytest_runtest_protocol(item, nextitem): pass\n"
        "@pytest.hookimpl(wrapper=True)\n"
        "def pytest_runtest_setup(item):\n"
        "    return (yield)\n"
        "@pytest.hookimpl(hookwrapper=True)\n"
        "def pytest_runtest_makereport(item, call):\n"
        "    yield\n"
        "pytest_plugins = []\n",
        plugin.__dict__,
    )
    assert plugins.uncalled_hooks(plugin) == ["pytest_runtest_protocol", "pytest_runtest_setup (wrapper)"]
    manager.register(plugin, "demo")
    assert capsys.readouterr().err == (
        "ferrotest: warning: plugin 'demo' implements hooks ferrotest does not call: pytest_runtest_protocol, "
        "pytest_runtest_setup (wrapper); what they do under pytest is missing from this run\n")


def test_hook_order_is_pluggys():
    hookimpl = pluggy.HookimplMarker("pytest")
    calls = []

    def plugin(name, **opts):
        @hookimpl(**opts)
        def pytest_configure(config):
            calls.append(name)

        return types.SimpleNamespace(pytest_configure=pytest_configure, __name__=name)

    registered = [plugin("a", trylast=True), plugin("b", tryfirst=True), plugin("c"), plugin("d", trylast=True),
                  plugin("e", tryfirst=True), plugin("f")]
    spec = types.SimpleNamespace(pytest_configure=pluggy.HookspecMarker("pytest")(lambda config: None))
    reference = pluggy.PluginManager("pytest")
    reference.add_hookspecs(spec)
    for each in registered:
        reference.register(each)
    reference.hook.pytest_configure(config=None)
    expected, calls[:] = list(calls), []

    saved = list(hooks._PLUGINS)
    try:
        hooks._PLUGINS[:] = [(None, each) for each in registered]
        hooks.call("pytest_configure", config=None)
    finally:
        hooks._PLUGINS[:] = saved
    assert calls == expected


def test_makereport_calls_wrappers_and_implementations_as_pluggy_does():
    """``pytest_runtest_makereport`` as pluggy calls a ``firstresult`` hook: old- and
    new-style wrappers around plain implementations, pytest's own innermost."""
    hookimpl = pluggy.HookimplMarker("pytest")
    calls = []

    def plugin(name, result=None, **opts):
        if opts.get("hookwrapper"):
            @hookimpl(**opts)
            def pytest_runtest_makereport(item, call):
                calls.append(name + " before")
                outcome = yield
                calls.append("%s after %s" % (name, outcome.get_result()))
                outcome.force_result(outcome.get_result() + "+" + name)
        elif opts.get("wrapper"):
            @hookimpl(**opts)
            def pytest_runtest_makereport(item, call):
                calls.append(name + " before")
                made = yield
                calls.append("%s after %s" % (name, made))
                return made + "+" + name
        else:
            @hookimpl(**opts)
            def pytest_runtest_makereport(item, call):
                calls.append(name)
                return result

        return types.SimpleNamespace(pytest_runtest_makereport=pytest_runtest_makereport, __name__=name)

    def run(registered):
        spec = types.SimpleNamespace(pytest_runtest_makereport=pluggy.HookspecMarker("pytest")(firstresult=True)(
            lambda item, call: None))
        reference = pluggy.PluginManager("pytest")
        reference.add_hookspecs(spec)
        for each in [plugin("pytest", "default")] + registered:
            reference.register(each)
        expected = (reference.hook.pytest_runtest_makereport(item=None, call=None), list(calls))
        calls[:] = []
        saved = list(hooks._PLUGINS)
        try:
            hooks._PLUGINS[:] = [(None, each) for each in registered]
            functions = hooks._runtest_lookup("makereport", "test_x.py")
            got = hooks._call_with_wrappers(functions, {"item": None, "call": None}, lambda: calls.append("pytest") or "default")
        finally:
            hooks._PLUGINS[:] = saved
        assert (got, calls) == expected
        calls[:] = []

    run([plugin("old", hookwrapper=True), plugin("new", wrapper=True), plugin("first", hookwrapper=True, tryfirst=True),
         plugin("plain"), plugin("last", wrapper=True, trylast=True), plugin("never", "late", trylast=True)])
    run([plugin("new", wrapper=True), plugin("made", "theirs"), plugin("plain", tryfirst=True)])
