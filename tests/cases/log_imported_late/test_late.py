def test_first_import_of_logging_is_captured():
    import logging

    logging.getLogger("late").warning("logged right after the first import")
    assert False


def test_module_level_functions_do_not_configure_logging():
    import logging

    logging.warning("through the root logger")
    print("stream handlers:", sum(type(h) is logging.StreamHandler for h in logging.getLogger().handlers))
    assert False
