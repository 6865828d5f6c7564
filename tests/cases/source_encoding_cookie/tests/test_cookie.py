# -*- coding: latin-1 -*-


def test_cookie_declares_latin1():
    assert "é" == "\xe9"


class TestCookie:
    def test_method(self):
        assert len("éè") == 2
