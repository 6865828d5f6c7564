import os

from conftest import ORDER


def test_environment_is_prepared():
    assert os.environ.get("PREPARED") == "yes"


def test_ini_fixtures_come_before_autouse():
    assert ORDER[-2:] == ["prepared_env", "autouse"]


class TestInClass:
    def test_also_prepared(self):
        assert os.environ["PREPARED"] == "yes"
