import os

import app


def test_patch_replaces_and_returns_the_mock(mocker):
    patched = mocker.patch("os.getcwd", return_value="/tmp/elsewhere")
    assert app.cwd_name() == "elsewhere"
    patched.assert_called_once_with()


def test_patches_are_undone_after_each_test():
    assert os.getcwd() != "/tmp/elsewhere"


def test_patch_object_and_dict(mocker):
    mocker.patch.object(app.Greeter, "greeting", "hi")
    mocker.patch.dict(app.SETTINGS, {"mode": "test"})
    assert app.Greeter().greet("ann") == "hi ann"
    assert app.SETTINGS == {"mode": "test"}


def test_object_and_dict_are_restored():
    assert app.Greeter.greeting == "hello"
    assert app.SETTINGS == {"mode": "prod"}


def test_spy_calls_through(mocker):
    spy = mocker.spy(app.Greeter, "greet")
    assert app.Greeter().greet("bob") == "hello bob"
    assert spy.call_count == 1
    assert spy.spy_return == "hello bob"


def test_stub_and_resetall(mocker):
    stub = mocker.stub(name="callback")
    stub(1, key="v")
    stub.assert_called_once_with(1, key="v")
    mocked = mocker.patch("os.path.exists", return_value=True)
    assert os.path.exists("/nowhere")
    mocker.resetall()
    assert mocked.call_count == 0


def test_mock_aliases(mocker):
    magic = mocker.MagicMock()
    magic.method(3)
    magic.method.assert_called_with(mocker.ANY)


def test_stopall_undoes_patches(mocker):
    mocker.patch("os.getcwd", return_value="/x")
    mocker.stopall()
    assert os.getcwd() != "/x"


class TestScopes:
    def test_class_mocker_patches_for_the_class(self, class_mocker):
        class_mocker.patch.object(app, "SETTINGS", {"mode": "class"})
        assert app.SETTINGS["mode"] == "class"

    def test_class_patch_still_active(self):
        assert app.SETTINGS["mode"] == "class"


def test_class_patch_undone():
    assert app.SETTINGS["mode"] == "prod"


def test_failing_call_assertion_explains_the_arguments(patched_greet):
    app.Greeter().greet("ann")
    app.Greeter.greet.assert_called_once_with("bob")
