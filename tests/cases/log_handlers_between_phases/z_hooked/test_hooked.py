import logging


def test_hooked():
    logging.warning("in a test whose reports go to a hook")
    assert False
