import pytest


@pytest.fixture(scope="module")
def module_info(request):
    return (request.scope, request.fixturename, request.module.__name__, request.node.name)


@pytest.fixture
def function_info(request):
    return (request.scope, request.fixturename, request.function.__name__, request.node.name)


@pytest.fixture
def finalized(request):
    seen = []
    request.addfinalizer(lambda: seen.append("done"))
    return seen


def test_module_scope(module_info):
    assert module_info == ("module", "module_info", "test_request", "test_request.py")


def test_function_scope(function_info):
    assert function_info == ("function", "function_info", "test_function_scope", "test_function_scope")


def test_request_itself(request):
    assert request.node.nodeid == "test_request.py::test_request_itself"
    assert request.cls is None and request.instance is None
    assert request.config.rootpath.name == request.path.parent.name
    assert request.getfixturevalue("function_info")[0] == "function"


class TestInClass:
    def test_class_and_instance(self, request):
        assert request.cls is TestInClass
        assert isinstance(request.instance, TestInClass)
        assert request.node.nodeid.endswith("::TestInClass::test_class_and_instance")


def test_finalizer(finalized):
    assert finalized == []
