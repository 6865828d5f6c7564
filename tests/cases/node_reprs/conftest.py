import pytest


def _record(line):
    with open("reprs.txt", "a") as log:
        log.write(line + "\n")


def pytest_collection_modifyitems(items):
    _record("collected: " + " ".join(repr(item) for item in items))


@pytest.fixture(autouse=True)
def record_node(request):
    # Below the session (whose repr carries run-time counts) and the rootdir (named after
    # each runner's copy of the project).
    chain = request.node.listchain()[2:]
    _record(" / ".join(repr(node) for node in chain) + " name=" + request.node.name)
