import os

from conftest import API_VERSION
from factories import make_user


def test_make_user():
    assert make_user("ada") == {"name": "ada", "active": True}


def test_api_version():
    assert API_VERSION == 3


def test_env_set_by_conftest():
    assert os.environ["DEMO_MODE"] == "testing"


def test_wrong_version():
    assert API_VERSION == 2
