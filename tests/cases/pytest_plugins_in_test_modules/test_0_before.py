def test_sees_fixture_registered_later(from_plugin):
    assert from_plugin == 42
