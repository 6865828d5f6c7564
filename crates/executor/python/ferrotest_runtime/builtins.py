"""pytest's builtin fixtures, written natively: ``(name, function, scope)`` in ``BUILTINS``.

The functions take their dependencies by parameter name, like any fixture; the runner calls
them through the same machinery as user fixtures (generators get their teardown after the
``yield``). Each imports its implementation module when first set up, so a session only
loads what its tests use. They never import pytest unless the fixture's value *is* a pytest
object users rely on (``monkeypatch`` is a real ``pytest.MonkeyPatch``, ``tmpdir`` a
``py.path`` ``LocalPath``) or a warning must carry pytest's category.

The runner tells this module about phases (:func:`begin_phase`, :func:`end_phase`), which
the capture fixtures and ``caplog`` follow as pytest's plugins do; and the Rust side takes
what ``record_property`` & co. recorded for the JUnit XML file (:func:`take_user_properties`,
:data:`XML_ATTRIBUTES`, :data:`TESTSUITE_PROPERTIES`).
"""

# -- phases -------------------------------------------------------------------------------------

# The phase running now: "setup", "call" or "teardown".
_phase = "setup"
# Set-up fixtures to tell about phases: objects with begin_phase(when), end_phase(when, outcome).
_followers = []


def begin_phase(when):
    """Called by the runner before each phase of a test."""
    global _phase
    _phase = when
    for follower in list(_followers):
        follower.begin_phase(when)


def end_phase(when, outcome):
    """Called by the runner after each phase (``outcome`` is its report's), before it marks
    where the phase's captured output ends: capture fixtures hand unread output on to it."""
    for follower in reversed(_followers):
        follower.end_phase(when, outcome)


def follow_phases(follower):
    _followers.append(follower)


def unfollow_phases(follower):
    _followers.remove(follower)


class _Outcomes:
    """The outcome of each phase seen while following (for ``tmp_path_retention_policy``)."""

    def __init__(self):
        self.by_phase = {}
        self.any_failed = False

    def begin_phase(self, when):
        pass

    def end_phase(self, when, outcome):
        self.by_phase[when] = outcome
        self.any_failed = self.any_failed or outcome == "failed"


def _following_outcomes():
    outcomes = _Outcomes()
    follow_phases(outcomes)
    return outcomes


# -- what the JUnit XML file reports ------------------------------------------------------------

# node ID -> [(name, value)] recorded by ``record_property`` (pytest's ``item.user_properties``).
USER_PROPERTIES = {}
# node ID -> {name: value} recorded by ``record_xml_attribute``.
XML_ATTRIBUTES = {}
# [(name, value)] recorded by ``record_testsuite_property``.
TESTSUITE_PROPERTIES = []


def user_properties(nodeid):
    """The live list of the test's user properties."""
    return USER_PROPERTIES.setdefault(nodeid, [])


def string_properties(nodeid):
    """The test's user properties so far, as strings (as the JUnit file writes them)."""
    return [(str(name), str(value)) for name, value in USER_PROPERTIES.get(nodeid, ())]


def take_user_properties(nodeid):
    """The test's user properties as strings, as the JUnit file writes them; forgets them."""
    return [(str(name), str(value)) for name, value in USER_PROPERTIES.pop(nodeid, ())]


def _node_warn(node, warning):
    """pytest's ``Node.warn``: the warning attributed to the test's location."""
    import warnings

    path, lineno = node.location[:2]
    warnings.warn_explicit(warning, category=None, filename=str(path), lineno=lineno + 1)


def _warn_incompatibility_with_xunit2(request, fixture_name):
    config = request.config
    family = config.getini("junit_family") or "xunit2"
    if config.getoption("xmlpath", None) and family not in ("xunit1", "legacy"):
        from _pytest.warning_types import PytestWarning

        _node_warn(request.node, PytestWarning(
            "%s is incompatible with junit_family '%s' (use 'legacy' or 'xunit1')" % (fixture_name, family)))


# -- the fixtures -------------------------------------------------------------------------------

def cache(request):
    """Return a cache object that can persist state between testing sessions."""
    from .cache import Cache

    return Cache.for_config(request.config)


def capsys(request):
    """Enable text capturing of writes to ``sys.stdout`` and ``sys.stderr``."""
    from .capfixtures import capture_fixture

    return capture_fixture(request, "capsys")


def capsysbinary(request):
    """Enable bytes capturing of writes to ``sys.stdout`` and ``sys.stderr``."""
    from .capfixtures import capture_fixture

    return capture_fixture(request, "capsysbinary")


def capteesys(request):
    """Enable simultaneous text capturing and pass-through of writes to ``sys.stdout`` and
    ``sys.stderr``."""
    from .capfixtures import capture_fixture

    return capture_fixture(request, "capteesys")


def capfd(request):
    """Enable text capturing of writes to file descriptors ``1`` and ``2``."""
    from .capfixtures import capture_fixture

    return capture_fixture(request, "capfd")


def capfdbinary(request):
    """Enable bytes capturing of writes to file descriptors ``1`` and ``2``."""
    from .capfixtures import capture_fixture

    return capture_fixture(request, "capfdbinary")


def caplog(request):
    """Access and control log capturing."""
    from .logcapture import caplog_fixture

    return caplog_fixture(request, _phase)


def doctest_namespace():
    """Fixture that returns a :py:class:`dict` that will be injected into the namespace of
    doctests."""
    return {}


def monkeypatch():
    """A convenient fixture for monkey-patching."""
    from _pytest.monkeypatch import MonkeyPatch

    patcher = MonkeyPatch()
    yield patcher
    patcher.undo()


def pytestconfig(request):
    """Session-scoped fixture that returns the session's :class:`pytest.Config` object."""
    return request.config


def record_property(request):
    """Add extra properties to the calling test."""
    _warn_incompatibility_with_xunit2(request, "record_property")
    properties = user_properties(request.node.nodeid)

    def append_property(name, value):
        properties.append((name, value))

    return append_property


def record_xml_attribute(request):
    """Add extra xml attributes to the tag for the calling test."""
    from _pytest.warning_types import PytestExperimentalApiWarning

    _node_warn(request.node, PytestExperimentalApiWarning("record_xml_attribute is an experimental feature"))
    _warn_incompatibility_with_xunit2(request, "record_xml_attribute")
    attributes = XML_ATTRIBUTES.setdefault(request.node.nodeid, {})

    def add_attribute(name, value):
        attributes[str(name)] = str(value)

    return add_attribute


def record_testsuite_property():
    """Record a new ``<property>`` tag as child of the root ``<testsuite>``."""

    def record_func(name, value):
        __tracebackhide__ = True
        if not isinstance(name, str):
            raise TypeError("name parameter needs to be a string, but %s given" % type(name).__name__)
        TESTSUITE_PROPERTIES.append((name, str(value)))

    return record_func


def recwarn():
    """Return a :class:`WarningsRecorder` instance that records all warnings emitted by test
    functions."""
    from .recwarn import recwarn_fixture

    return recwarn_fixture()


def tmp_path_factory(request):
    """Return a :class:`pytest.TempPathFactory` instance for the test session."""
    from .tmpdir import TempPathFactory

    factory = TempPathFactory.from_config(request.config)
    outcomes = _following_outcomes() if factory._retention_policy == "failed" else None
    yield factory
    if outcomes is not None:
        unfollow_phases(outcomes)
    factory.close(all_passed=outcomes is not None and not outcomes.any_failed)


def tmp_path(request, tmp_path_factory):
    """Return a temporary directory (as :class:`pathlib.Path` object) which is unique to each
    test function invocation."""
    from .tmpdir import make_tmp

    path = make_tmp(request.node.name, tmp_path_factory)
    if tmp_path_factory._retention_policy != "failed":
        yield path
        return
    outcomes = _following_outcomes()
    yield path
    unfollow_phases(outcomes)
    if outcomes.by_phase.get("call", "passed") == "passed":
        import shutil

        # Best effort: a leaked handle or permission must not fail the test.
        shutil.rmtree(path, ignore_errors=True)


def tmpdir_factory(tmp_path_factory):
    """Return a :class:`pytest.TempdirFactory` instance for the test session."""
    from .tmpdir import TempdirFactory

    return TempdirFactory(tmp_path_factory)


def tmpdir(tmp_path):
    """Return a temporary directory (as `legacy_path`_ object) which is unique to each test
    function invocation."""
    from .tmpdir import legacy_path

    return legacy_path(tmp_path)


BUILTINS = [
    ("cache", cache, "session"),
    ("capfd", capfd, "function"),
    ("capfdbinary", capfdbinary, "function"),
    ("caplog", caplog, "function"),
    ("capsys", capsys, "function"),
    ("capsysbinary", capsysbinary, "function"),
    ("capteesys", capteesys, "function"),
    ("doctest_namespace", doctest_namespace, "session"),
    ("monkeypatch", monkeypatch, "function"),
    ("pytestconfig", pytestconfig, "session"),
    ("record_property", record_property, "function"),
    ("record_testsuite_property", record_testsuite_property, "session"),
    ("record_xml_attribute", record_xml_attribute, "function"),
    ("recwarn", recwarn, "function"),
    ("tmp_path", tmp_path, "function"),
    ("tmp_path_factory", tmp_path_factory, "session"),
    ("tmpdir", tmpdir, "function"),
    ("tmpdir_factory", tmpdir_factory, "session"),
]
