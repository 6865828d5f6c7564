"""``config.Config`` against the ``Config`` of the pytest 9.2 session running these tests (and
of pytest runs with plugins blocked): the same ini options, aliases and defaults, the same
values read from a file, the same keys unknown."""
import sys

import pytest

from ferrotest_runtime import config


def test_ini_options_and_aliases_are_pytests(pytestconfig):
    assert set(config._INI_TYPES) == set(pytestconfig._parser._inidict)
    assert config._INI_ALIASES == pytestconfig._parser._ini_aliases


def test_unset_options_read_as_pytests_defaults(pytestconfig):
    ours = config.Config()
    for name in list(pytestconfig._parser._inidict) + list(pytestconfig._parser._ini_aliases):
        default = pytestconfig._parser._inidict[config._INI_ALIASES.get(name, name)][2]
        if name == "markers":
            # pytest's plugins appended their markers to this very default list.
            default = []
        assert ours.getini(name) == default, name


@pytest.mark.parametrize(("ini", "overrides", "expected"), [
    ({"xfail_strict": "true"}, (), True),
    ({"strict_xfail": "true", "xfail_strict": "false"}, (), True),
    ({"strict_xfail": "true", "xfail_strict": "false"}, ("xfail_strict=false",), False),
    ({"strict_xfail": "false", "xfail_strict": "true"}, ("strict_xfail=false", "xfail_strict=true"), False),
])
def test_an_override_beats_the_file_and_the_canonical_name_an_alias(ini, overrides, expected):
    ours = config.Config(ini=ini, options={"override_ini": list(overrides)})
    assert ours.getini("strict_xfail") is expected
    assert ours.getini("xfail_strict") is expected


@pytest.mark.parametrize(("name", "raw", "expected"), [
    ("log_auto_indent", "on", True),
    ("log_auto_indent", "4", 4),
    ("log_auto_indent", "below", "below"),
    ("log_level", "INFO", "INFO"),
    ("log_level", "10", 10),
    ("faulthandler_timeout", "1.5", 1.5),
    ("tmp_path_retention_count", "0", 0),
    ("verbosity_assertions", "auto", "auto"),
])
def test_union_types_take_the_first_member_that_converts(name, raw, expected):
    assert config.Config(ini={name: raw}).getini(name) == expected


def test_unknown_keys_leave_out_registered_options_aliases_and_blocked_plugins(monkeypatch):
    ini = {"xfail_strict": "true", "junit_family": "xunit1", "mystery": "1", "cache_dir": "here"}
    monkeypatch.setattr(config, "CONFIG", config.Config(ini=ini))
    assert config.unknown_ini_keys(set()) == ["mystery"]
    assert config.unknown_ini_keys({"junitxml", "skipping"}) == ["junit_family", "mystery", "xfail_strict"]


_REGISTERED_NAMES = """
import sys, pytest
class Report:
    def pytest_configure(self, config):
        print(" ".join(sorted(set(config._parser._inidict) | set(config._parser._ini_aliases))))
        sys.exit(0)
pytest.main(sys.argv[1:], plugins=[Report()])
"""


@pytest.mark.parametrize("plugin", sorted(config._PLUGIN_INI))
def test_a_blocked_plugin_takes_pytests_options_away(plugin, tmp_path):
    import subprocess

    def registered(*args):
        run = subprocess.run([sys.executable, "-c", _REGISTERED_NAMES, *args], capture_output=True, text=True,
                             cwd=tmp_path)
        return set(run.stdout.split())

    assert registered() - registered("-p", "no:" + plugin) == set(config._PLUGIN_INI[plugin]) | {
        alias for alias, target in config._INI_ALIASES.items() if target in config._PLUGIN_INI[plugin]}
