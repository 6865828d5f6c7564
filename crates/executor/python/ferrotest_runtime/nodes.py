"""The node objects tests and fixtures see through ``request.node``: pytest's ``Item`` and
its collectors, as far as suites use them (names, node IDs, marks, keywords)."""
import os
import sys

from . import marks

# Node ID -> the marks ``pytest_collection_modifyitems`` hooks added (``add_marker``), which
# the item keeps when the runner makes its node again.
ADDED_MARKS = {}


class Node:
    """A collector above an item: the session, a directory, a package, a module or a class,
    each of the subclass named as pytest's (its ``repr`` is pytest's ``<Module test_a.py>``)."""

    def __init__(self, nodeid, name, obj=None, parent=None):
        self.nodeid = nodeid
        self.name = name
        self.obj = obj
        self.parent = parent
        self._added = []

    @property
    def config(self):
        from .config import CONFIG

        return CONFIG

    def own_marks(self):
        own = marks.own_marks(self.obj) if self.obj is not None and _pytest_loaded() else []
        return list(reversed(self._added)) + own

    @property
    def own_markers(self):
        return self.own_marks()

    def iter_markers(self, name=None):
        node = self
        while node is not None:
            for mark in node.own_marks():
                if name is None or mark.name == name:
                    yield mark
            node = node.parent

    def get_closest_marker(self, name, default=None):
        return next(self.iter_markers(name), default)

    def add_marker(self, marker, append=True):
        mark = getattr(marker, "mark", marker)
        if isinstance(marker, str):
            mark = _mark_named(marker)
        if append:
            self._added.insert(0, mark)
        else:
            self._added.append(mark)

    def listchain(self):
        chain = []
        node = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def keywords(self):
        names = {node.name: True for node in self.listchain()}
        names.update((mark.name, mark) for mark in self.iter_markers())
        return names

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self.name)


class Session(Node):
    pass


class Dir(Node):
    pass


class Package(Node):
    pass


class Module(Node):
    pass


class Class(Node):
    pass


class UnitTestCase(Class):
    pass


class DoctestModule(Module):
    pass


class DoctestTextfile(Module):
    pass


# The kind of item the runner knows -> pytest's class for it, which its ``repr`` names.
_ITEM_CLASSES = {"function": "Function", "unittest": "TestCaseFunction", "doctest": "DoctestItem"}


class ItemNode(Node):
    """pytest's item for one test: a ``Function``, a unittest ``TestCaseFunction`` or a
    ``DoctestItem``, named with its parametrization (``test_x[1]``)."""

    def __init__(self, item):
        # A doctest text file has no module (pytest's ``DoctestTextfile.obj`` is None).
        module_obj = sys.modules.get(item.import_name)
        parent = _directories(item, Session("", "", None, None))
        parent = _module_class(item)(item.relpath, item.relpath.rsplit("/", 1)[-1], module_obj, parent)
        owner = module_obj
        for name, nodeid in zip(item.classes, item.class_nodeids):
            owner = getattr(owner, name)
            parent = _class_class(owner)(nodeid, name, owner, parent)
        self.originalname = item.name.split("[", 1)[0]
        name = item.callspec.name(item.name) if item.callspec is not None else item.name
        super().__init__(item.nodeid, name, getattr(owner, self.originalname, None), parent)
        self._item = item
        self._added = list(ADDED_MARKS.get(item.nodeid, ()))

    def __repr__(self):
        return "<%s %s>" % (_ITEM_CLASSES[self._item.kind], self.name)

    def own_marks(self):
        # pytest's Function keeps the marks of its ``pytest.param(..., marks=)`` after its own.
        callspec = self._item.callspec
        return super().own_marks() + (list(callspec.marks) if callspec is not None else [])

    @property
    def function(self):
        return self.obj

    @property
    def module(self):
        return sys.modules[self._item.import_name]

    @property
    def cls(self):
        return self.parent.obj if self._item.classes else None

    @property
    def path(self):
        import pathlib

        return pathlib.Path(self._item.path)

    @property
    def fspath(self):
        return self.path

    @property
    def location(self):
        return (self._item.relpath, self._item.lineno, ".".join(self._item.classes + (self.name,)))

    def scope_node(self, scope):
        """The collector a fixture of ``scope`` belongs to (pytest's ``get_scope_node``)."""
        if scope == "function" or (scope == "class" and not self._item.classes):
            return self
        chain = self.listchain()
        if scope == "class":
            return chain[-2]
        if scope == "module":
            return chain[-2 - len(self._item.classes)]
        packages = [node for node in chain if type(node) is Package]
        if scope == "package" and packages:
            return packages[-1]
        return chain[0]


def _module_class(item):
    """pytest's collector for the item's file: a doctest item's is a ``DoctestModule`` (or a
    ``DoctestTextfile`` for a text file)."""
    if item.kind != "doctest":
        return Module
    return DoctestModule if item.relpath.endswith(".py") else DoctestTextfile


def _class_class(cls):
    """pytest's collector for a class: ``UnitTestCase`` for a ``unittest.TestCase``."""
    unittest = sys.modules.get("unittest")
    return UnitTestCase if unittest is not None and issubclass(cls, unittest.TestCase) else Class


def _directories(item, session):
    """The directory collectors from the rootdir down to the item's module, under
    ``session``: a ``Package`` where there is an ``__init__.py``, else a ``Dir``."""
    from .config import CONFIG

    directories = item.relpath.split("/")[:-1]
    # The rootdir is a package when the module's import name reaches above its directories.
    packages = set(item.packages) | ({""} if item.import_name.count(".") > len(directories) else set())
    parent = session
    for depth, name in enumerate([os.path.basename(CONFIG._rootdir)] + directories):
        nodeid = "/".join(directories[:depth])
        parent = (Package if nodeid in packages else Dir)(nodeid, name, None, parent)
    return parent


def _pytest_loaded():
    return "_pytest.mark.structures" in sys.modules


def _mark_named(name):
    structures = sys.modules["_pytest.mark.structures"]
    return getattr(structures.MARK_GEN, name).mark
