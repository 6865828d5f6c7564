"""The node objects tests and fixtures see through ``request.node``: pytest's ``Item`` and
its collectors, as far as suites use them (names, node IDs, marks, keywords)."""
import sys

# Node ID -> the marks ``pytest_collection_modifyitems`` hooks added (``add_marker``), which
# the item keeps when the runner makes its node again.
ADDED_MARKS = {}


class Node:
    """A collector above an item: the session, a package, a module or a class."""

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
        from . import marks

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


class ItemNode(Node):
    """pytest's ``Function`` item for one test."""

    def __init__(self, item):
        # A doctest text file has no module (pytest's ``DoctestTextfile.obj`` is None).
        module_obj = sys.modules.get(item.import_name)
        session = Node("", "", None, None)
        parent = session
        for package in item.packages:
            parent = Node(package, package.rsplit("/", 1)[-1], None, parent)
        parent = Node(item.relpath, item.relpath.rsplit("/", 1)[-1], module_obj, parent)
        owner = module_obj
        for name, nodeid in zip(item.classes, item.class_nodeids):
            owner = getattr(owner, name)
            parent = Node(nodeid, name, owner, parent)
        self.originalname = item.name.split("[", 1)[0]
        super().__init__(item.nodeid, item.name, getattr(owner, self.originalname, None), parent)
        self._item = item
        self._added = list(ADDED_MARKS.get(item.nodeid, ()))

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
        return (self._item.relpath, self._item.lineno, ".".join(self._item.classes + (self._item.name,)))

    def scope_node(self, scope):
        """The collector a fixture of ``scope`` belongs to (pytest's ``get_scope_node``)."""
        kinds = {"class": len(self._item.classes) > 0, "module": True, "package": bool(self._item.packages)}
        if scope == "function" or (scope == "class" and not kinds["class"]):
            return self
        chain = self.listchain()
        if scope == "class":
            return chain[-2]
        if scope == "module":
            return chain[-2 - len(self._item.classes)]
        if scope == "package" and kinds["package"]:
            return chain[len(self._item.packages)]
        return chain[0]


def _pytest_loaded():
    return "_pytest.mark.structures" in sys.modules


def _mark_named(name):
    structures = sys.modules["_pytest.mark.structures"]
    return getattr(structures.MARK_GEN, name).mark
