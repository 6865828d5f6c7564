import pytest

INI_NAMES = (
    "strict_xfail", "xfail_strict", "strict", "strict_config", "strict_markers", "strict_parametrization_ids",
    "log_format", "log_date_format", "log_auto_indent", "tmp_path_retention_count", "verbosity_assertions",
    "minversion", "max_warnings", "faulthandler_timeout", "junit_logging", "collect_imported_tests",
)


@pytest.mark.xfail
def test_passes_unexpectedly():
    pass


@pytest.mark.xfail(strict=False)
def test_not_strict_when_the_mark_says_so():
    pass


def test_ini_values(pytestconfig):
    for name in INI_NAMES:
        print(name, repr(pytestconfig.getini(name)))
