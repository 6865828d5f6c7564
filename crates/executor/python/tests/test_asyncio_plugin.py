"""pytest-asyncio's configuration rules as ``asyncio_plugin`` applies them (checked against
pytest-asyncio 1.5.0's ``plugin.py``)."""
import contextvars

import pytest

from ferrotest_runtime import asyncio_plugin, config, skipping


@pytest.fixture
def settings(monkeypatch):
    """Configure a session with these ini values, pytest-asyncio installed."""
    monkeypatch.setattr(asyncio_plugin, "_ACTIVE", True)
    # The plugin's configure registers its ini options for the session: not beyond the test.
    monkeypatch.setattr(config, "_INI_TYPES", dict(config._INI_TYPES))

    def configure(**ini):
        config.configure("/project", None, ini, {}, [])
        return config.CONFIG

    yield configure
    config.configure("/project", None, {}, {}, [])


async def coroutine_fixture():
    pass


def sync_fixture():
    pass


def forced(func, loop_scope=None):
    func._force_asyncio_fixture = True
    func._loop_scope = loop_scope
    return func


def test_strict_mode_runs_only_what_pytest_asyncio_fixture_made(settings):
    settings()
    assert asyncio_plugin.fixture_loop_scope(coroutine_fixture, "function") is None
    assert asyncio_plugin.fixture_loop_scope(forced(lambda: None), "module") == "module"


def test_auto_mode_runs_every_async_fixture_and_no_sync_one(settings):
    settings(asyncio_mode="auto")
    assert asyncio_plugin.fixture_loop_scope(coroutine_fixture, "class") == "class"
    assert asyncio_plugin.fixture_loop_scope(sync_fixture, "class") is None


def test_loop_scope_is_the_marks_then_the_ini_default_then_the_fixture_scope(settings):
    settings(asyncio_default_fixture_loop_scope="session")
    assert asyncio_plugin.fixture_loop_scope(forced(lambda: None, "class"), "module") == "class"
    assert asyncio_plugin.fixture_loop_scope(forced(lambda: None), "module") == "session"
    settings(asyncio_default_fixture_loop_scope="fixture-scope")
    assert asyncio_plugin.fixture_loop_scope(forced(lambda: None), "package") == "package"


def test_header_line_names_the_mode_as_the_plugins_enum_prints_it(settings):
    conf = settings(asyncio_mode="auto", asyncio_default_test_loop_scope="module")
    [line] = asyncio_plugin.configure(conf)
    mode = "Mode.AUTO"
    assert line == ("asyncio: mode=%s, debug=False, asyncio_default_fixture_loop_scope=None, "
                    "asyncio_default_test_loop_scope=module" % mode)
    assert any(marker.startswith("asyncio:") for marker in conf.getini("markers"))
    assert conf.getini("asyncio_mode") == "auto"


def test_blocked_plugin_is_not_active(monkeypatch):
    monkeypatch.setattr(asyncio_plugin, "_ACTIVE", None)
    config.configure("/project", None, {}, {"plugins": ["no:asyncio"]}, [])
    try:
        assert asyncio_plugin.active() is False
        assert asyncio_plugin.fixtures() == []
    finally:
        config.configure("/project", None, {}, {}, [])


def test_contextvar_changes_reach_the_current_context_until_reset():
    var = contextvars.ContextVar("var", default="outer")
    context = contextvars.copy_context()
    context.run(var.set, "inner")
    reset = asyncio_plugin._apply_contextvar_changes(context)
    assert var.get() == "inner"
    reset()
    assert var.get() == "outer"
    assert asyncio_plugin._apply_contextvar_changes(contextvars.copy_context()) is None


class _Item:
    """An unmarked async test item (auto mode marks it)."""

    is_async = True
    kind = "function"
    nodeid = "test_g.py::test_gen[1]"

    def node(self):
        return self

    def get_closest_marker(self, name):
        return None


def test_async_generator_tests_fail_as_expected_without_running(settings):
    settings(asyncio_mode="auto")

    async def test_gen():
        yield

    async def test_coroutine():
        pass

    with pytest.raises(skipping.NotRun, match=r"\[NOTRUN\] Tests based on asynchronous generators are not "
                                              r"supported. test_gen\[1\] will be ignored."):
        asyncio_plugin.refuse_async_generator(_Item(), test_gen)
    asyncio_plugin.refuse_async_generator(_Item(), test_coroutine)
