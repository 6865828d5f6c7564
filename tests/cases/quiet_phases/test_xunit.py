"""xunit hooks without their teardown leave a test's teardown nothing to run."""


def setup_function(function):
    print("setup_function", function.__name__)


def test_function_with_setup_only():
    print("call")
    assert False


class TestSetupMethodOnly:
    def setup_method(self, method):
        print("setup_method", method.__name__)

    def test_a(self):
        print("call a")

    def test_b(self):
        pass


class TestTeardownMethodOnly:
    def teardown_method(self, method):
        print("teardown_method", method.__name__)

    def test_c(self):
        pass


def test_last_function():
    pass
