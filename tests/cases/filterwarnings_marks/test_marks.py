import warnings

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:module-ignored")


def test_module_mark():
    warnings.warn("module-ignored")


@pytest.mark.filterwarnings("ignore:fn-ignored")
def test_function_mark():
    warnings.warn("fn-ignored")


@pytest.mark.filterwarnings("default::UserWarning")
def test_mark_beats_ini():
    warnings.warn("shown, not raised")


@pytest.mark.filterwarnings("error")
@pytest.mark.filterwarnings("ignore:both")
def test_two_marks_on_one_function():
    warnings.warn("both marks")


@pytest.mark.filterwarnings("ignore:module", "default:module-ignored")
def test_two_arguments_in_one_mark():
    warnings.warn("module-ignored as well")


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_function_mark_against_module_mark():
    warnings.warn("module-ignored, says the module", RuntimeWarning)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
class TestClassMark:
    def test_in_class(self):
        warnings.warn("gone", DeprecationWarning)

    @pytest.mark.filterwarnings("error::DeprecationWarning")
    def test_method_against_class(self):
        warnings.warn("which wins?", DeprecationWarning)


def test_ini_error():
    warnings.warn("the ini makes this an error")


def test_ini_ignore():
    warnings.warn("ini-ignored")


def test_command_line():
    warnings.warn("command line", RuntimeWarning)


@pytest.mark.filterwarnings("always::RuntimeWarning")
def test_mark_beats_command_line():
    warnings.warn("mark wins", RuntimeWarning)


@pytest.fixture
def filter_added_in_setup(request):
    # Too late: pytest applies the marks before the test's setup.
    request.applymarker(pytest.mark.filterwarnings("ignore:added"))


def test_added_in_setup(filter_added_in_setup):
    warnings.warn("added late", RuntimeWarning)
