def teardown_function(function):
    print("teardown_function", function.__name__)


def test_torn_down():
    assert False


class TestMethodsSkipTeardownFunction:
    def test_method(self):
        pass
