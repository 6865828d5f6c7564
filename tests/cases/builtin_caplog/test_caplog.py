import logging

log = logging.getLogger("app.module")


def test_default_level_is_warning(caplog):
    log.info("not captured")
    log.warning("careful %s", "now")
    assert caplog.messages == ["careful now"]
    assert caplog.record_tuples == [("app.module", logging.WARNING, "careful now")]
    assert caplog.records[0].levelname == "WARNING"


def test_set_level(caplog):
    caplog.set_level(logging.DEBUG)
    log.debug("debug")
    log.info("info")
    assert caplog.messages == ["debug", "info"]


def test_level_restored():
    assert logging.getLogger().level == logging.WARNING


def test_set_level_on_a_logger(caplog):
    caplog.set_level(logging.INFO, logger="app")
    log.info("from a child")
    logging.getLogger("other").info("not this one")
    assert caplog.messages == ["from a child"]


def test_at_level(caplog):
    with caplog.at_level(logging.INFO):
        log.info("inside")
    log.info("outside")
    assert caplog.messages == ["inside"]


def test_text_format(caplog):
    log.error("formatted")
    line = caplog.text.splitlines()[0]
    assert line.startswith("ERROR    app.module:test_caplog.py:")
    assert line.endswith(" formatted")


def test_clear(caplog):
    log.warning("first")
    caplog.clear()
    log.warning("second")
    assert caplog.messages == ["second"]
    assert "first" not in caplog.text


def test_exception_text(caplog):
    try:
        raise ValueError("bad")
    except ValueError:
        log.exception("failed")
    assert "ValueError: bad" in caplog.text
    assert caplog.messages == ["failed"]


def test_failure_with_caplog(caplog):
    log.error("logged")
    assert caplog.records[0].levelno == logging.INFO
