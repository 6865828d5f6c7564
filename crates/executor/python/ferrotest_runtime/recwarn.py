"""pytest's ``recwarn`` (``_pytest/recwarn.py``'s ``WarningsRecorder``)."""
import warnings


class WarningsRecorder(warnings.catch_warnings):
    """Records the warnings raised while entered; a list of ``warnings.WarningMessage``."""

    def __init__(self):
        super().__init__(record=True)
        self._entered = False
        self._list = []

    @property
    def list(self):
        return self._list

    def __getitem__(self, i):
        return self._list[i]

    def __iter__(self):
        return iter(self._list)

    def __len__(self):
        return len(self._list)

    def pop(self, cls=Warning):
        """The first recorded warning of category ``cls``; failing an exact match, the first
        of a subclass not itself a subclass of another match's category."""
        best = None
        for i, w in enumerate(self._list):
            if w.category == cls:
                return self._list.pop(i)
            if issubclass(w.category, cls) and (best is None or not issubclass(w.category, self._list[best].category)):
                best = i
        if best is not None:
            return self._list.pop(best)
        __tracebackhide__ = True
        raise AssertionError("%r not found in warning list" % (cls,))

    def clear(self):
        self._list[:] = []

    def __enter__(self):
        if self._entered:
            __tracebackhide__ = True
            raise RuntimeError("Cannot enter %r twice" % (self,))
        self._list = super().__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        if not self._entered:
            __tracebackhide__ = True
            raise RuntimeError("Cannot exit %r without entering first" % (self,))
        super().__exit__(exc_type, exc_val, exc_tb)
        # catch_warnings stays "entered" after exiting; reset it so the recorder is reusable.
        self._entered = False


def recwarn_fixture():
    """The body of ``recwarn``: everything is recorded, each warning once per location (the
    "default" action pytest's fixture sets over the recorder's "always")."""
    recorder = WarningsRecorder()
    with recorder:
        warnings.simplefilter("default")
        yield recorder
