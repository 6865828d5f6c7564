def test_selected():
    assert "b" * 2 == "bb"


def test_selected_not():
    raise AssertionError("not selected: a node id names one exact function")
