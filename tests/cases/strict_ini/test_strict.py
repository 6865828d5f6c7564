import pytest


@pytest.mark.xfail
def test_passes_unexpectedly():
    pass


def test_ini_values(pytestconfig):
    for name in ("strict", "strict_xfail", "strict_config", "strict_markers", "strict_parametrization_ids"):
        print(name, repr(pytestconfig.getini(name)))
