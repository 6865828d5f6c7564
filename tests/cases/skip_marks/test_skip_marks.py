import os
import sys
import platform

import pytest

FEATURE_READY = False
LIMIT = 3


@pytest.mark.skip
def test_skip_no_reason():
    assert False


@pytest.mark.skip(reason="not implemented")
def test_skip_with_reason():
    assert False


@pytest.mark.skipif(True, reason="always skipped")
def test_skipif_bool_true():
    assert False


@pytest.mark.skipif(False, reason="never skipped")
def test_skipif_bool_false():
    pass


@pytest.mark.skipif("sys.version_info < (3, 0)")
def test_skipif_string_sys_false():
    pass


@pytest.mark.skipif("sys.platform != 'nonexistent-os'", reason="platform check")
def test_skipif_string_sys_true():
    assert False


@pytest.mark.skipif("platform.system() == 'NoSuchSystem'")
def test_skipif_string_platform_false():
    pass


@pytest.mark.skipif("not FEATURE_READY")
def test_skipif_module_global():
    assert False


@pytest.mark.skipif("LIMIT > 5 or os.sep == '?'")
def test_skipif_globals_and_os_false():
    pass


@pytest.mark.skipif(condition="LIMIT == 3", reason="condition keyword")
def test_skipif_condition_keyword():
    assert False


@pytest.mark.skipif(False, reason="first is false")
@pytest.mark.skipif("LIMIT == 3", reason="second is true")
def test_skipif_several_marks():
    assert False


@pytest.mark.skipif(False, "LIMIT == 3", reason="one of several conditions")
def test_skipif_several_conditions():
    assert False


@pytest.mark.skipif(True)
def test_skipif_bool_without_reason_errors():
    pass


@pytest.mark.skipif("LIMIT ===")
def test_skipif_syntax_error():
    pass


@pytest.mark.skipif("undefined_name")
def test_skipif_name_error():
    pass


@pytest.mark.skip(reason="skipped before fixtures")
def test_skip_before_fixture(broken):
    pass


@pytest.fixture
def broken():
    raise RuntimeError("never set up")


@pytest.mark.skip(reason="whole class")
class TestSkippedClass:
    def test_one(self):
        assert False

    def test_two(self):
        assert False


@pytest.mark.skipif("LIMIT < 0", reason="class condition false")
class TestClassConditionFalse:
    def test_runs(self):
        pass

    @pytest.mark.skipif("LIMIT == 3", reason="method condition true")
    def test_method_skipped(self):
        assert False


@pytest.mark.parametrize("value", [1, pytest.param(2, marks=pytest.mark.skip(reason="param skipped")), 3])
def test_param_skip(value):
    assert value != 2
