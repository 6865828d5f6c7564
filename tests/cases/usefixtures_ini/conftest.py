import os

import pytest

ORDER = []


@pytest.fixture
def prepared_env(monkeypatch):
    ORDER.append("prepared_env")
    monkeypatch.setenv("PREPARED", "yes")


@pytest.fixture(autouse=True)
def autouse_after():
    ORDER.append("autouse")
