import pytest


@pytest.fixture
def recorded_in_fixture(record_property):
    record_property("fixture", "yes")


def test_properties(record_property, recorded_in_fixture):
    record_property("answer", 42)
    record_property("text", "<escaped & quoted \">")


def test_suite_property(record_testsuite_property):
    record_testsuite_property("ARCH", "x86")


def test_suite_property_needs_string_name(record_testsuite_property):
    record_testsuite_property(1, "x")


def test_failure_with_property(record_property):
    record_property("why", "shown")
    assert False
