import pytest

pytestmark = [pytest.mark.skipif(False, reason="module false"), pytest.mark.skipif("ENABLED", reason="module global")]

ENABLED = False


def test_runs():
    pass


@pytest.mark.skip(reason="own mark")
def test_own_skip():
    pass
