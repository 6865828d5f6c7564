"""pytest's ``request`` object: the test's (``FixtureRequest``) and each fixture's
(``SubRequest``), with the attributes suites use."""
import sys


class FixtureRequest:
    """The request of a test: what it is, where it lives, and access to its fixtures."""

    fixturename = None
    scope = "function"

    def __init__(self, runner, item, instance):
        self._runner = runner
        self._item = item
        self._instance = instance
        self._finalizers_key = ("function", item.nodeid)

    # -- what is being set up ---------------------------------------------------------------

    @property
    def node(self):
        return self._item.node()

    @property
    def config(self):
        from .config import CONFIG

        return CONFIG

    @property
    def function(self):
        item = self._item
        if self._instance is not None and item.kind == "function":
            return getattr(self._instance, item.name)
        return getattr(self.module, item.name) if not item.classes else getattr(self.cls, item.name)

    @property
    def cls(self):
        owner = self.module
        for name in self._item.classes:
            owner = getattr(owner, name)
        return owner if self._item.classes else None

    @property
    def instance(self):
        return self._instance

    @property
    def module(self):
        return sys.modules[self._item.import_name]

    @property
    def path(self):
        import pathlib

        return pathlib.Path(self._item.path)

    @property
    def keywords(self):
        return self.node.keywords

    @property
    def fixturenames(self):
        return list(self._item.fixturenames())

    @property
    def param(self):
        raise AttributeError("'FixtureRequest' object has no attribute 'param'")

    # -- fixtures ---------------------------------------------------------------------------

    def getfixturevalue(self, argname):
        if argname == "request":
            return self
        return self._runner.value_of(self._item, argname, self)

    def addfinalizer(self, finalizer):
        self._runner.state.add_finalizer(self._finalizers_key, finalizer)

    def applymarker(self, marker):
        self.node.add_marker(marker)

    def raiseerror(self, msg):
        from . import outcomes

        outcomes.fail_no_trace(msg)

    def sub(self, fixture, entry):
        return SubRequest(self, fixture, entry)

    def __repr__(self):
        return "<FixtureRequest for %r>" % (self.node,)


class SubRequest(FixtureRequest):
    """The request a fixture receives: scoped to the fixture, finalizers on the fixture."""

    def __init__(self, parent, fixture, entry):
        super().__init__(parent._runner, parent._item, parent._instance)
        self._parent = parent
        self._fixture = fixture
        self._entry = entry
        self.fixturename = fixture.name
        self.scope = fixture.scope

    @property
    def param(self):
        callspec = self._item.callspec
        if callspec is None or self.fixturename not in callspec.params:
            raise AttributeError("'SubRequest' object has no attribute 'param'")
        return callspec.params[self.fixturename]

    @property
    def param_index(self):
        callspec = self._item.callspec
        if callspec is None or self.fixturename not in callspec.indices:
            return 0
        return callspec.indices[self.fixturename]

    @property
    def node(self):
        return self._item.node_for_scope(self.scope)

    def addfinalizer(self, finalizer):
        self._entry.finalizers.append(finalizer)

    def __repr__(self):
        return "<SubRequest %r for %r>" % (self.fixturename, self._item.node())
