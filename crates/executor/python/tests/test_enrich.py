"""The mark names the runner's fast path reads (``enrich.MARK_NAMES``)."""
from ferrotest_runtime import enrich


def test_calls_share_their_function_entry_unless_their_set_has_marks():
    names = enrich.MarkNames()
    names.set_function("dir[1]/test_a.py::test_x", frozenset({"xfail"}))
    names["dir[1]/test_a.py::test_x[2]"] = frozenset({"skip", "xfail"})
    assert names.get("dir[1]/test_a.py::test_x[1]") == {"xfail"}
    assert names.get("dir[1]/test_a.py::test_x[a[b]]") == {"xfail"}
    assert names.get("dir[1]/test_a.py::test_x[::]") == {"xfail"}
    # The call whose parameters are all hidden is named like its function.
    assert names.get("dir[1]/test_a.py::test_x") == {"xfail"}
    assert names.get("dir[1]/test_a.py::test_x[2]") == {"skip", "xfail"}


def test_other_items_have_no_entry():
    names = enrich.MarkNames()
    names.set_function("test_a.py::test_x", frozenset({"xfail"}))
    assert names.get("test_a.py::test_y[1]") is None
    assert names.get("test_a.py::test_xy[1]") is None
    assert names.get("test_a.py::test_x[1") is None
    assert names.get("test_b.py::test_x[1]", ()) == ()


def test_a_call_is_found_by_its_function_without_parsing_its_id():
    names = enrich.MarkNames()
    names.set_function("test_a.py::test_x", frozenset({"xfail"}))
    names["test_a.py::test_x[2]"] = frozenset({"skip"})
    assert names.of_call("test_a.py::test_x[1]", "test_a.py::test_x") == {"xfail"}
    assert names.of_call("test_a.py::test_x[2]", "test_a.py::test_x") == {"skip"}
    assert names.of_call("test_a.py::test_y[1]", "test_a.py::test_y") is None
