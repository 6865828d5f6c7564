def pytest_addoption(parser):
    parser.addini("greeting", "Printed in the header and by a test.", default="hello")


def pytest_report_header(config):
    return "greeting: %s" % config.getini("greeting")


def pytest_configure(config):
    config.greeting_at_configure = config.getini("greeting")
