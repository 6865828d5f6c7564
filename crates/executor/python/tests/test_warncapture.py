"""pytest's warnings plugin: filters, their precedence, and what a recording gives.

Expected texts and orders were taken from pytest 9.2 (``_pytest/warnings.py``,
``parse_warning_filter``) on the same inputs.
"""
import os
import warnings

import pytest

from ferrotest_runtime import config, warncapture


class FakeItem:
    mark_names = None  # no filterwarnings marks

    def __init__(self, nodeid):
        self.nodeid = nodeid


@pytest.fixture
def session(monkeypatch):
    """``start(ini=..., cmdline=...)`` configures the plugin as a session would; the
    session-wide catch it enters and the module's state end with the test."""
    for name in ("ENABLED", "_CMDLINE", "_INVOCATION_DIR", "_parsed_from", "_filters", "_front"):
        monkeypatch.setattr(warncapture, name, getattr(warncapture, name))

    def start(ini=(), cmdline=()):
        monkeypatch.setattr(config, "CONFIG", config.Config(ini={"filterwarnings": list(ini)}))
        warncapture.configure(True, cmdline)

    with warnings.catch_warnings():
        yield start


def _record(item, body):
    recording = warncapture.begin(item)
    try:
        body()
    finally:
        records = warncapture.end(recording)
    return records or []


def test_a_test_s_warnings_are_located_by_its_node_id_and_formatted_as_python_does(session):
    session()
    records = _record(FakeItem("test_a.py::test_x"), lambda: warnings.warn("careful", UserWarning))
    [(location, text)] = records
    assert location == "test_a.py::test_x"
    assert text.startswith(__file__ + ":")
    assert ': UserWarning: careful\n  records = _record(FakeItem("test_a.py::test_x")' in text


def test_outside_tests_the_location_is_the_path_from_the_invocation_directory(session):
    session()
    [(location, _)] = _record(None, lambda: warnings.warn("at import"))
    path, line = location.rsplit(":", 1)
    assert path == os.path.relpath(__file__) and int(line) > 0


def test_deprecations_are_always_shown_and_nothing_is_recorded_when_there_is_none(session):
    session()

    def warn_twice():
        for _ in range(2):
            warnings.warn("old", DeprecationWarning)

    assert len(_record(FakeItem("t"), warn_twice)) == 2
    assert warncapture.end(warncapture.begin(FakeItem("t"))) is None


def test_command_line_filters_win_over_the_ini_and_take_their_text_literally(session):
    session(ini=["error", "ignore:a.c"], cmdline=["default:a.b::"])
    assert len(_record(FakeItem("t"), lambda: warnings.warn("a.b literally"))) == 1
    assert _record(FakeItem("t"), lambda: warnings.warn("abc: the ini's pattern is a regex")) == []
    with pytest.raises(UserWarning):
        _record(FakeItem("t"), lambda: warnings.warn("axb is no literal a.b"))


def test_a_test_s_filter_changes_end_with_it(session):
    session()
    _record(FakeItem("t"), lambda: warnings.simplefilter("ignore"))
    assert len(_record(FakeItem("t"), lambda: warnings.warn("seen again"))) == 1


def test_ini_lines_a_plugin_adds_apply_from_the_next_recording(session):
    session()
    config.CONFIG.addinivalue_line("filterwarnings", "ignore:added")
    assert _record(FakeItem("t"), lambda: warnings.warn("added by a conftest")) == []


def test_an_unimportable_category_warns_at_every_recording(session):
    with pytest.warns(pytest.PytestConfigWarning):
        session(cmdline=["error::nosuchmodule.Warning"])
    for _ in range(2):
        [(_, text)] = _record(FakeItem("t"), lambda: None)
        assert "PytestConfigWarning: Failed to import filter module 'nosuchmodule': error::nosuchmodule.Warning" in text


def test_static_collection_warnings_go_through_the_filters(session):
    session(ini=["ignore:ignored"])
    recording = warncapture.begin()
    assert warncapture.warn_static("PytestCollectionWarning", "cannot collect", __file__, 1) is None
    assert warncapture.warn_static("PytestCollectionWarning", "ignored", __file__, 1) is None
    [(_, text)] = warncapture.end(recording)
    assert "PytestCollectionWarning: cannot collect" in text
    recording = warncapture.begin()
    warnings.simplefilter("error")
    assert warncapture.warn_static("PytestCollectionWarning", "now an error", __file__, 1) == (
        "pytest.PytestCollectionWarning: now an error"
    )
    warncapture.end(recording)


def test_off_records_nothing(monkeypatch):
    monkeypatch.setattr(warncapture, "ENABLED", False)
    assert warncapture.begin(FakeItem("t")) is None
    assert warncapture.end(None) is None


@pytest.mark.parametrize(
    ("arg", "escape", "expected"),
    [
        ("ignore", False, ("ignore", "", Warning, "", 0)),
        (" error : msg.* : UserWarning : mod : 3 ", False, ("error", "msg.*", UserWarning, "mod", 3)),
        ("error:msg.*::mod", True, ("error", r"msg\.\*", Warning, r"mod\Z", 0)),
        ("always::warnings.WarningMessage", False, None),
        ("d::DeprecationWarning", False, ("default", "", DeprecationWarning, "", 0)),
    ],
)
def test_filters_parse_as_pytest_parses_them(arg, escape, expected):
    if expected is None:
        with pytest.raises(warncapture.UsageError, match="is not a Warning subclass"):
            warncapture.parse_filter(arg, escape)
    else:
        assert warncapture.parse_filter(arg, escape) == expected


@pytest.mark.parametrize(
    ("arg", "error"),
    [
        ("bogus", "invalid action: 'bogus'"),
        ("a:b:c:d:e:f", "Too many fields (6), expected at most 5 separated by colons:"),
        ("error::::-1", "invalid lineno '-1': number is negative"),
        ("error::::x", "invalid lineno 'x': invalid literal for int() with base 10: 'x'"),
        ("error:[::", "Invalid regex '[': unterminated character set at position 0"),
        ("error::NoSuchWarning", "AttributeError: module 'builtins' has no attribute 'NoSuchWarning'"),
    ],
)
def test_filters_pytest_refuses_are_usage_errors_with_its_text(arg, error):
    with pytest.raises(warncapture.UsageError) as raised:
        warncapture.parse_filter(arg, False)
    text = str(raised.value)
    assert text.startswith("while parsing the following warning configuration:\n\n  %s\n\nThis error occurred:\n\n" % arg)
    assert error in text


def test_an_unimportable_category_module_is_left_to_the_caller():
    with pytest.raises(ImportError):
        warncapture.parse_filter("error::nosuchmodule.Warning", False)
