"""pytest's builtin fixtures, written natively: ``(name, function, scope)`` in ``BUILTINS``.

The functions take their dependencies by parameter name, like any fixture; the runner calls
them through the same machinery as user fixtures (generators get their teardown after the
``yield``). Each imports its implementation module when first set up, so a session only
loads what its tests use. They never import pytest unless the fixture's value *is* a pytest
object users rely on (``monkeypatch`` is a real ``pytest.MonkeyPatch``, ``tmpdir`` a
``py.path`` ``LocalPath``) or a warning must carry pytest's category.

The runner tells this module about phases (:func:`begin_phase`, :func:`end_phase`), which
the capture fixtures and ``caplog`` follow as pytest's plugins do; and the reports carry
what ``record_property`` & co. recorded for the JUnit XML file (:func:`string_properties`,
:data:`XML_ATTRIBUTES`, :data:`TESTSUITE_PROPERTIES`).
"""

# -- phases -------------------------------------------------------------------------------------

# The phase running now: "setup", "call" or "teardown". The runner sets it itself when no
# fixture follows phases (a call per phase costs each test more than the assignment).
PHASE = "setup"
# Set-up fixtures to tell about phases: objects with begin_phase(when), end_phase(when, outcome).
# The runner skips a phase's protocol where no user code runs, unless one follows phases.
FOLLOWERS = []


def begin_phase(when):
    """Called by the runner before each phase of a test."""
    global PHASE
    PHASE = when
    if FOLLOWERS:
        for follower in list(FOLLOWERS):
            follower.begin_phase(when)


def end_phase(when, outcome):
    """Called by the runner after each phase (``outcome`` is its report's), before it marks
    where the phase's captured output ends: capture fixtures hand unread output on to it.
    Nothing to do unless fixtures follow phases."""
    for follower in reversed(FOLLOWERS):
        follower.end_phase(when, outcome)


def follow_phases(follower):
    FOLLOWERS.append(follower)


def unfollow_phases(follower):
    FOLLOWERS.remove(follower)


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


def forget_user_properties(nodeid):
    """The test ended: its reports carried its user properties (the runner asks only when
    some test has any)."""
    USER_PROPERTIES.pop(nodeid, None)


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
    """Return a cache object that can persist state between testing sessions.

    cache.get(key, default)
    cache.set(key, value)

    Keys must be ``/`` separated strings, where the first part is usually the
    name of your plugin or application to avoid clashes with other cache users.

    Values can be any object handled by the json stdlib module.
    """
    from .cache import Cache

    return Cache.for_config(request.config)


def capsys(request):
    r"""Enable text capturing of writes to ``sys.stdout`` and ``sys.stderr``.

    The captured output is made available via ``capsys.readouterr()`` method
    calls, which return a ``(out, err)`` namedtuple.
    ``out`` and ``err`` will be ``text`` objects.

    Returns an instance of :class:`CaptureFixture[str] <pytest.CaptureFixture>`.

    Example:

    .. code-block:: python

        def test_output(capsys):
            print("hello")
            captured = capsys.readouterr()
            assert captured.out == "hello\n"
    """
    from .capfixtures import capture_fixture

    yield from capture_fixture(request, "capsys")


def capsysbinary(request):
    r"""Enable bytes capturing of writes to ``sys.stdout`` and ``sys.stderr``.

    The captured output is made available via ``capsysbinary.readouterr()``
    method calls, which return a ``(out, err)`` namedtuple.
    ``out`` and ``err`` will be ``bytes`` objects.

    Returns an instance of :class:`CaptureFixture[bytes] <pytest.CaptureFixture>`.

    Example:

    .. code-block:: python

        def test_output(capsysbinary):
            print("hello")
            captured = capsysbinary.readouterr()
            assert captured.out == b"hello\n"
    """
    from .capfixtures import capture_fixture

    yield from capture_fixture(request, "capsysbinary")


def capteesys(request):
    r"""Enable simultaneous text capturing and pass-through of writes
    to ``sys.stdout`` and ``sys.stderr`` as defined by ``--capture=``.


    The captured output is made available via ``capteesys.readouterr()`` method
    calls, which return a ``(out, err)`` namedtuple.
    ``out`` and ``err`` will be ``text`` objects.

    The output is also passed-through, allowing it to be "live-printed",
    reported, or both as defined by ``--capture=``.

    Returns an instance of :class:`CaptureFixture[str] <pytest.CaptureFixture>`.

    Example:

    .. code-block:: python

        def test_output(capteesys):
            print("hello")
            captured = capteesys.readouterr()
            assert captured.out == "hello\n"
    """
    from .capfixtures import capture_fixture

    yield from capture_fixture(request, "capteesys")


def capfd(request):
    r"""Enable text capturing of writes to file descriptors ``1`` and ``2``.

    The captured output is made available via ``capfd.readouterr()`` method
    calls, which return a ``(out, err)`` namedtuple.
    ``out`` and ``err`` will be ``text`` objects.

    Returns an instance of :class:`CaptureFixture[str] <pytest.CaptureFixture>`.

    Example:

    .. code-block:: python

        def test_system_echo(capfd):
            os.system('echo "hello"')
            captured = capfd.readouterr()
            assert captured.out == "hello\n"
    """
    from .capfixtures import capture_fixture

    yield from capture_fixture(request, "capfd")


def capfdbinary(request):
    r"""Enable bytes capturing of writes to file descriptors ``1`` and ``2``.

    The captured output is made available via ``capfd.readouterr()`` method
    calls, which return a ``(out, err)`` namedtuple.
    ``out`` and ``err`` will be ``byte`` objects.

    Returns an instance of :class:`CaptureFixture[bytes] <pytest.CaptureFixture>`.

    Example:

    .. code-block:: python

        def test_system_echo(capfdbinary):
            os.system('echo "hello"')
            captured = capfdbinary.readouterr()
            assert captured.out == b"hello\n"
    """
    from .capfixtures import capture_fixture

    yield from capture_fixture(request, "capfdbinary")


def caplog(request):
    """Access and control log capturing.

    Captured logs are available through the following properties/methods::

    * caplog.messages        -> list of format-interpolated log messages
    * caplog.text            -> string containing formatted log output
    * caplog.records         -> list of logging.LogRecord instances
    * caplog.record_tuples   -> list of (logger_name, level, message) tuples
    * caplog.clear()         -> clear captured records and formatted log output string
    """
    from .logcapture import caplog_fixture

    yield from caplog_fixture(request, PHASE)


def doctest_namespace():
    """Fixture that returns a :py:class:`dict` that will be injected into the
    namespace of doctests.

    Usually this fixture is used in conjunction with another ``autouse`` fixture:

    .. code-block:: python

        @pytest.fixture(autouse=True)
        def add_np(doctest_namespace):
            doctest_namespace["np"] = numpy

    For more details: :ref:`doctest_namespace`.
    """
    return {}


def monkeypatch():
    """A convenient fixture for monkey-patching.

    The fixture provides these methods to modify objects, dictionaries, or
    :data:`os.environ`:

    * :meth:`monkeypatch.setattr(obj, name, value, raising=True) <pytest.MonkeyPatch.setattr>`
    * :meth:`monkeypatch.delattr(obj, name, raising=True) <pytest.MonkeyPatch.delattr>`
    * :meth:`monkeypatch.setitem(mapping, name, value) <pytest.MonkeyPatch.setitem>`
    * :meth:`monkeypatch.delitem(obj, name, raising=True) <pytest.MonkeyPatch.delitem>`
    * :meth:`monkeypatch.setenv(name, value, prepend=None) <pytest.MonkeyPatch.setenv>`
    * :meth:`monkeypatch.delenv(name, raising=True) <pytest.MonkeyPatch.delenv>`
    * :meth:`monkeypatch.syspath_prepend(path) <pytest.MonkeyPatch.syspath_prepend>`
    * :meth:`monkeypatch.chdir(path) <pytest.MonkeyPatch.chdir>`
    * :meth:`monkeypatch.context() <pytest.MonkeyPatch.context>`

    All modifications will be undone after the requesting test function or
    fixture has finished. The ``raising`` parameter determines if a :class:`KeyError`
    or :class:`AttributeError` will be raised if the set/deletion operation does not have the
    specified target.

    To undo modifications done by the fixture in a contained scope,
    use :meth:`context() <pytest.MonkeyPatch.context>`.
    """
    from _pytest.monkeypatch import MonkeyPatch

    patcher = MonkeyPatch()
    yield patcher
    patcher.undo()


def pytestconfig(request):
    """Session-scoped fixture that returns the session's :class:`pytest.Config`
    object.

    Example::

        def test_foo(pytestconfig):
            if pytestconfig.get_verbosity() > 0:
                ...
    """
    return request.config


def record_property(request):
    """Add extra properties to the calling test.

    User properties become part of the test report and are available to the
    configured reporters, like JUnit XML.

    The fixture is callable with ``name, value``. The value is automatically
    XML-encoded.

    Example::

        def test_function(record_property):
            record_property("example_key", 1)
    """
    _warn_incompatibility_with_xunit2(request, "record_property")
    properties = user_properties(request.node.nodeid)

    def append_property(name, value):
        properties.append((name, value))

    return append_property


def record_xml_attribute(request):
    """Add extra xml attributes to the tag for the calling test.

    The fixture is callable with ``name, value``. The value is
    automatically XML-encoded.
    """
    from _pytest.warning_types import PytestExperimentalApiWarning

    _node_warn(request.node, PytestExperimentalApiWarning("record_xml_attribute is an experimental feature"))
    _warn_incompatibility_with_xunit2(request, "record_xml_attribute")
    attributes = XML_ATTRIBUTES.setdefault(request.node.nodeid, {})

    def add_attribute(name, value):
        attributes[str(name)] = str(value)

    return add_attribute


def record_testsuite_property():
    """Record a new ``<property>`` tag as child of the root ``<testsuite>``.

    This is suitable to writing global information regarding the entire test
    suite, and is compatible with ``xunit2`` JUnit family.

    This is a ``session``-scoped fixture which is called with ``(name, value)``. Example:

    .. code-block:: python

        def test_foo(record_testsuite_property):
            record_testsuite_property("ARCH", "PPC")
            record_testsuite_property("STORAGE_TYPE", "CEPH")

    :param name:
        The property name.
    :param value:
        The property value. Will be converted to a string.

    .. warning::

        Currently this fixture **does not work** with the
        `pytest-xdist <https://github.com/pytest-dev/pytest-xdist>`__ plugin. See
        :issue:`7767` for details.
    """

    def record_func(name, value):
        __tracebackhide__ = True
        if not isinstance(name, str):
            raise TypeError("name parameter needs to be a string, but %s given" % type(name).__name__)
        TESTSUITE_PROPERTIES.append((name, str(value)))

    return record_func


def recwarn():
    """Return a :class:`WarningsRecorder` instance that records all warnings emitted by test functions.

    See :ref:`warnings` for information on warning categories.
    """
    from .recwarn import recwarn_fixture

    yield from recwarn_fixture()


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
    """Return a temporary directory (as :class:`pathlib.Path` object)
    which is unique to each test function invocation.
    The temporary directory is created as a subdirectory
    of the base temporary directory, with configurable retention,
    as discussed in :ref:`temporary directory location and retention`.
    """
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
    """Return a temporary directory (as `legacy_path`_ object)
    which is unique to each test function invocation.
    The temporary directory is created as a subdirectory
    of the base temporary directory, with configurable retention,
    as discussed in :ref:`temporary directory location and retention`.

    .. note::
        These days, it is preferred to use ``tmp_path``.

        :ref:`About the tmpdir and tmpdir_factory fixtures<tmpdir and tmpdir_factory>`.

    .. _legacy_path: https://py.readthedocs.io/en/latest/path.html
    """
    from .tmpdir import legacy_path

    return legacy_path(tmp_path)


def subtests(request):
    """Provides subtests functionality."""
    from .subtests import Subtests

    return Subtests(request, _ispytest=True)


BUILTINS = [
    ("cache", cache, "function"),
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
    ("subtests", subtests, "function"),
    ("tmp_path", tmp_path, "function"),
    ("tmp_path_factory", tmp_path_factory, "session"),
    ("tmpdir", tmpdir, "function"),
    ("tmpdir_factory", tmpdir_factory, "session"),
]

# Where pytest 9.2.0 defines each of these (file under ``_pytest/`` and line): ``--fixtures``
# names pytest's definitions, which these functions stand in for, and groups them by pytest's
# modules, so the listing reads as pytest's does.
PYTEST_LOCATIONS = {
    "cache": "cacheprovider.py:577",
    "capfd": "capture.py:1103",
    "capfdbinary": "capture.py:1131",
    "caplog": "logging.py:621",
    "capsys": "capture.py:1012",
    "capsysbinary": "capture.py:1075",
    "capteesys": "capture.py:1040",
    "doctest_namespace": "doctest.py:737",
    "monkeypatch": "monkeypatch.py:35",
    "pytestconfig": "fixtures.py:1644",
    "record_property": "junitxml.py:321",
    "record_testsuite_property": "junitxml.py:382",
    "record_xml_attribute": "junitxml.py:344",
    "recwarn": "recwarn.py:36",
    "subtests": "subtests.py:136",
    "tmp_path": "tmpdir.py:328",
    "tmp_path_factory": "tmpdir.py:313",
    "tmpdir": "legacypath.py:304",
    "tmpdir_factory": "legacypath.py:297",
}


def defining_plugins(name):
    """The pytest plugins builtin fixture ``name`` needs: the one defining it (the module of
    its ``PYTEST_LOCATIONS`` entry), and for legacypath's ``tmpdir`` and ``tmpdir_factory``
    the ``tmpdir`` plugin, without which legacypath defines neither."""
    plugin = PYTEST_LOCATIONS[name].partition(".py:")[0]
    return {plugin, "tmpdir"} if plugin == "legacypath" else {plugin}
