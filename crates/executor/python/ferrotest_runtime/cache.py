"""pytest's ``cache`` fixture (``_pytest/cacheprovider.py``'s ``Cache``): JSON values under
``<cache_dir>/v/<key>``, directories under ``<cache_dir>/d/<name>``, in pytest's on-disk
format so pytest and ferrotest read each other's values (``crates/scheduler/src/cache.rs``
writes the same directory for ``--lf``)."""
import errno
import json
import os
from pathlib import Path

# pytest's CACHEDIR_FILES, written into a new cache directory.
CACHEDIR_FILES = {
    "README.md": b"""\
# pytest cache directory #

This directory contains data from the pytest's cache plugin,
which provides the `--lf` and `--ff` options, as well as the `cache` fixture.

**Do not** commit this to version control.

See [the docs](https://docs.pytest.org/en/stable/how-to/cache.html) for more information.
""",
    ".gitignore": b"# Created by pytest automatically.\n*\n",
    "CACHEDIR.TAG": b"""\
Signature: 8a477f597d28d172789f06886806bc55
# This file is a cache directory tag created by pytest.
# For information about cache directory tags, see:
#\thttps://bford.info/cachedir/spec.html
""",
}


class Cache:
    """``get``/``set`` of JSON values and ``mkdir`` of directories that outlive the session."""

    _CACHE_PREFIX_DIRS = "d"
    _CACHE_PREFIX_VALUES = "v"

    def __init__(self, cachedir, config):
        self._cachedir = cachedir
        self._config = config

    @classmethod
    def for_config(cls, config):
        # --cache-clear already happened on the Rust side, before collection, as in pytest.
        return cls(cache_dir_from_config(config), config)

    def mkdir(self, name):
        """The directory ``name`` (no separators) in the cache, created if needed."""
        if len(Path(name).parts) > 1:
            raise ValueError("name is not allowed to contain path separators")
        path = self._join_within(self._cachedir / self._CACHE_PREFIX_DIRS, name)
        self._mkdir(path)
        return path

    def makedir(self, name):
        """:meth:`mkdir` as a legacy ``py.path``."""
        from .tmpdir import legacy_path

        return legacy_path(self.mkdir(name))

    def get(self, key, default):
        """The value stored under ``key``, or ``default`` if missing or unreadable."""
        path = self._join_within(self._cachedir / self._CACHE_PREFIX_VALUES, key)
        try:
            with path.open("r", encoding="UTF-8") as f:
                return json.load(f)
        except (ValueError, OSError):
            return default

    def set(self, key, value):
        """Store the JSON-serialisable ``value`` under ``key``; a write failure only warns."""
        path = self._join_within(self._cachedir / self._CACHE_PREFIX_VALUES, key)
        try:
            self._mkdir(path.parent)
        except OSError as exc:
            self._warn("could not create cache path %s: %s" % (path, exc))
            return
        data = json.dumps(value, ensure_ascii=False, indent=2)
        try:
            path.write_text(data, encoding="UTF-8")
        except OSError as exc:
            self._warn("cache could not write path %s: %s" % (path, exc))

    def _mkdir(self, path):
        if not self._cachedir.is_dir():
            _make_cachedir(self._cachedir)
        path.mkdir(exist_ok=True, parents=True)

    @staticmethod
    def _join_within(base, name):
        """``base / name``, refusing a ``name`` that would lead outside ``base``."""
        path = Path(os.path.normpath(base.joinpath(name)))
        if not path.is_relative_to(base):
            raise ValueError("%r is not allowed to escape the cache directory" % (name,))
        return path

    def _warn(self, message):
        # pytest's own category, so ``-W error::pytest.PytestCacheWarning`` applies.
        import warnings

        from _pytest.warning_types import PytestCacheWarning

        warnings.warn(PytestCacheWarning(message), stacklevel=3)

    def __repr__(self):
        return "Cache()"


def cache_dir_from_config(config):
    """pytest's ``resolve_from_str(getini("cache_dir"), rootpath)``."""
    raw = os.path.expandvars(os.path.expanduser(config.getini("cache_dir") or ".pytest_cache"))
    return Path(raw) if os.path.isabs(raw) else config.rootpath.joinpath(raw)


def _make_cachedir(target):
    """Fill a temporary sibling and rename it into place, so a concurrent run never sees a
    cache directory without its supporting files."""
    import shutil
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="pytest-cache-files-", dir=target.parent))
    try:
        # mkdtemp makes it 0o700; the cache gets the umask's default (pytest #12308).
        umask = os.umask(0o022)
        os.umask(umask)
        path.chmod(0o777 - umask)
        for name, content in CACHEDIR_FILES.items():
            path.joinpath(name).write_bytes(content)
        path.rename(target)
    except OSError as exc:
        # Another run won the race to the rename: its directory is as good as ours.
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
    finally:
        shutil.rmtree(path, ignore_errors=True)
