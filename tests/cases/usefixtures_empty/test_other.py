import pytest


class TestUnmarked:
    @pytest.mark.usefixtures()
    def test_method(self):
        pass


def test_plain():
    pass
