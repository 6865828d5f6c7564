import pytest


@pytest.fixture(scope="session")
def expensive():
    raise RuntimeError("--setup-plan never calls fixtures")


@pytest.fixture(params=["a", "b"])
def letter(request, expensive):
    raise RuntimeError("nor this one")


def test_letter(letter):
    raise AssertionError("nor tests")


@pytest.mark.skip(reason="skip marks still apply")
def test_skipped(expensive):
    pass
