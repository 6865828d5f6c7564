"""pytest's temporary directories (``_pytest/tmpdir.py`` and ``_pytest/pathlib.py``): the
session's base directory ``<temproot>/pytest-of-<user>/pytest-<N>``, numbered per session
with the last ``tmp_path_retention_count`` kept, and the numbered directories made in it.

The layout, locks and clean-up are pytest's, so ferrotest and pytest runs share
``pytest-of-<user>`` without removing each other's directories early. What no test waits
for (each ``<prefix>current`` link, removing dead links and older sessions' trees) is done,
in order, by ``background_fs`` on a thread of its own; the process waits for it before it
ends. That thread also makes empty directories ahead of the tests: a numbered directory is
one of them, renamed into place, when one is ready.
"""
import atexit
import os
import re
import stat
import sys
from pathlib import Path

from . import background_fs

# pytest's LOCK_TIMEOUT: a lock older than three days belongs to a dead session.
LOCK_TIMEOUT = 60 * 60 * 24 * 3


class TempPathFactory:
    """pytest's ``TempPathFactory``: ``mktemp`` and ``getbasetemp``."""

    def __init__(self, given_basetemp, retention_count, retention_policy):
        # abspath rather than resolve(): pytest's choice, see pytest #4427.
        self._given_basetemp = Path(os.path.abspath(given_basetemp)) if given_basetemp is not None else None
        self._retention_count = retention_count
        self._retention_policy = retention_policy
        self._basetemp = None
        # ``pytest-of-<user>`` while the base temp is its session directory: spare directories,
        # made ahead on another thread, are moved from there into numbered places.
        self._spares_parent = None
        self._cleanups = []
        # Lower-cased prefix -> next number to try, so numbered directories need no listing.
        self._next_number = {}

    @classmethod
    def from_config(cls, config):
        count = int(config.getini("tmp_path_retention_count"))
        if count < 0:
            raise ValueError("tmp_path_retention_count must be >= 0. Current input: %d." % count)
        policy = config.getini("tmp_path_retention_policy") or "all"
        return cls(config.getoption("basetemp", None), count, policy)

    def mktemp(self, basename, numbered=True):
        """A new directory ``basename`` (``basename<n>`` when ``numbered``) in the base temp."""
        basename = self._ensure_relative_to_basetemp(basename)
        if not numbered:
            path = self.getbasetemp().joinpath(basename)
            path.mkdir(mode=0o700)
            return path
        return self._make_counted_dir(basename)

    def _ensure_relative_to_basetemp(self, basename):
        basename = os.path.normpath(basename)
        basetemp = self.getbasetemp()
        # pytest resolves ``basetemp / basename`` (an lstat per component, for every
        # ``tmp_path``); for one plain name that is no symlink, its parent is the base temp
        # (already resolved) without asking.
        joined = basetemp / basename
        plain = os.sep not in basename and basename not in (".", "..") and not os.path.islink(joined)
        if not plain and joined.resolve().parent != basetemp:
            raise ValueError("%s is not a normalized and relative path" % basename)
        return basename

    def _make_counted_dir(self, prefix):
        """``<prefix><n>``: mkdir decides uniqueness; after 10 collisions the base temp is
        listed once to jump past existing names, after 20 it gives up (pytest's counter)."""
        root = self.getbasetemp()
        key = prefix.lower()
        number = self._next_number.get(key, 0)
        collisions = 0
        while True:
            path = root.joinpath("%s%d" % (prefix, number))
            try:
                if not self._take_spare_dir(path):
                    path.mkdir(mode=0o700)
                break
            except OSError as exc:
                collisions += 1
                if collisions == 10:
                    number = max(number, max(map(parse_num, find_suffixes(root, prefix)), default=-1)) + 1
                elif collisions == 20:
                    raise OSError("could not create numbered dir with prefix %s in %s after %d tries"
                                  % (prefix, root, collisions)) from exc
                else:
                    number += 1
        self._next_number[key] = number + 1
        background_fs.force_symlink_soon(root.joinpath(prefix + "current"), path)
        return path

    def _take_spare_dir(self, path):
        return self._spares_parent is not None and background_fs.take_spare_dir(path, self._spares_parent)

    def getbasetemp(self):
        """The session's base temporary directory, made on first use."""
        if self._basetemp is None:
            self._basetemp = self._make_basetemp()
        return self._basetemp

    def _make_basetemp(self):
        if self._given_basetemp is not None:
            basetemp = self._given_basetemp
            if basetemp.exists():
                rm_rf(basetemp)
            basetemp.mkdir(mode=0o700)
            return basetemp.resolve()
        keep = 0 if self._retention_policy == "none" else self._retention_count
        temproot = _user_temproot()
        basetemp = make_numbered_dir_with_cleanup(temproot, "pytest-", keep, self._cleanups.append)
        self._spares_parent = temproot
        # A last resort for sessions that end without tearing down their fixtures.
        atexit.register(self.close)
        return basetemp

    def close(self, all_passed=False):
        """pytest's ``pytest_sessionfinish`` part: with policy ``failed`` and every test
        passed the base temp goes; dead ``*current`` links go; then older sessions' numbered
        directories beyond the retention count, and this session's lock."""
        atexit.unregister(self.close)
        basetemp = self._basetemp
        if basetemp is None:
            return
        background_fs.close_spare_dirs()
        if all_passed and self._retention_policy == "failed" and self._given_basetemp is None:
            import shutil

            # Its links may still be in the making.
            background_fs.wait()
            shutil.rmtree(basetemp, ignore_errors=True)
        if basetemp.is_dir():
            # After the links queued before it, as pytest makes them before this.
            background_fs.remove_dead_links_soon(basetemp)
        while self._cleanups:
            self._cleanups.pop()()

    def __repr__(self):
        # pytest's dataclass repr, without its tracer.
        return "TempPathFactory(_given_basetemp=%r, _basetemp=%r, _retention_count=%r, _retention_policy=%r)" % (
            self._given_basetemp, self._basetemp, self._retention_count, self._retention_policy)


class TempdirFactory:
    """pytest's legacy ``TempdirFactory``: :class:`TempPathFactory` with ``py.path`` results."""

    # Shown in tracebacks' argument lists: the same text as pytest's.
    __module__ = "_pytest.legacypath"

    def __init__(self, tmppath_factory):
        self._tmppath_factory = tmppath_factory

    def mktemp(self, basename, numbered=True):
        return legacy_path(self._tmppath_factory.mktemp(basename, numbered).resolve())

    def _take_spare_dir(self, path):
        return self._spares_parent is not None and background_fs.take_spare_dir(path, self._spares_parent)

    def getbasetemp(self):
        return legacy_path(self._tmppath_factory.getbasetemp().resolve())


def legacy_path(path):
    """pytest's ``legacy_path``: the ``LocalPath`` users of ``tmpdir`` call methods of."""
    from _pytest._py.path import LocalPath

    return LocalPath(path)


def make_tmp(node_name, factory):
    """pytest's ``_mk_tmp``: a numbered directory named after the test."""
    name = re.sub(r"[\W]", "_", node_name)[:30]
    return factory.mktemp(name, numbered=True)


def _user_temproot():
    """``<temproot>/pytest-of-<user>``, private to the user, as pytest makes it."""
    import tempfile

    temproot = Path(os.environ.get("PYTEST_DEBUG_TEMPROOT") or tempfile.gettempdir()).resolve()
    rootdir = temproot.joinpath("pytest-of-%s" % (_get_user() or "unknown"))
    try:
        rootdir.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        # The user name holds characters the platform refuses in file names.
        rootdir = temproot.joinpath("pytest-of-unknown")
        rootdir.mkdir(mode=0o700, exist_ok=True)
    if sys.platform != "win32":
        _check_private(rootdir)
    return rootdir


def _check_private(rootdir):
    # The name is predictable and temproot shared: refuse another user's directory or a
    # symlink, and take away group/other permissions an old pytest (0o755) left.
    follow = os.stat not in os.supports_follow_symlinks
    st = rootdir.stat(follow_symlinks=follow)
    if stat.S_ISLNK(st.st_mode):
        raise OSError("The temporary directory %s is a symbolic link. Fix this and try again." % rootdir)
    if st.st_uid != os.getuid():
        raise OSError("The temporary directory %s is not owned by the current user. "
                      "Fix this and try again." % rootdir)
    if st.st_mode & 0o077:
        rootdir.chmod(st.st_mode & ~0o077, follow_symlinks=os.chmod not in os.supports_follow_symlinks)


def _get_user():
    try:
        import getpass

        return getpass.getuser()
    except (ImportError, OSError, KeyError):
        return None


# -- pytest's numbered directories (``_pytest/pathlib.py``) ------------------------------------

def find_prefixed(root, prefix):
    """The entries of ``root`` starting with ``prefix``, case-insensitively."""
    lowered = prefix.lower()
    return [entry for entry in os.scandir(root) if entry.name.lower().startswith(lowered)]


def find_suffixes(root, prefix):
    return [entry.name[len(prefix):] for entry in find_prefixed(root, prefix)]


def parse_num(maybe_num):
    try:
        return int(maybe_num)
    except ValueError:
        return -1


def make_numbered_dir(root, prefix, mode=0o700):
    for _ in range(10):
        number = max(map(parse_num, find_suffixes(root, prefix)), default=-1) + 1
        path = root.joinpath("%s%d" % (prefix, number))
        try:
            path.mkdir(mode=mode)
        except Exception:
            continue
        background_fs.force_symlink_soon(root.joinpath(prefix + "current"), path)
        return path
    raise OSError("could not create numbered dir with prefix %s in %s after 10 tries" % (prefix, root))


def create_cleanup_lock(path):
    """``path/.lock`` holding our pid: other sessions leave a locked directory alone."""
    lock = path.joinpath(".lock")
    try:
        fd = os.open(str(lock), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError as exc:
        raise OSError("cannot create lockfile in %s" % path) from exc
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    if not lock.is_file():
        raise OSError("lock path got renamed after successful creation")
    return lock


def _remove_lock(lock, pid):
    if os.getpid() != pid:
        # A forked child must not release its parent's lock.
        return
    try:
        lock.unlink()
    except OSError:
        pass


def make_numbered_dir_with_cleanup(root, prefix, keep, register):
    """A new ``<prefix><n>`` in ``root``, locked while the session runs (unless nothing is
    kept); ``register`` receives the clean-ups to run when the session ends."""
    error = None
    for _ in range(10):
        try:
            path = make_numbered_dir(root, prefix)
            if keep != 0:
                lock = create_cleanup_lock(path)
                pid = os.getpid()
                register(lambda: _remove_lock(lock, pid))
        except Exception as exc:
            error = exc
            continue
        dead_before = path.stat().st_mtime - LOCK_TIMEOUT
        register(lambda: cleanup_numbered_dir(root, prefix, keep, dead_before))
        return path
    raise error


def cleanup_numbered_dir(root, prefix, keep, dead_before):
    """Remove the numbered directories older than the ``keep`` newest, and leftover garbage."""
    if not root.exists():
        return
    for path in _cleanup_candidates(root, prefix, keep):
        _try_cleanup(path, dead_before)
    for path in root.glob("garbage-*"):
        _try_cleanup(path, dead_before)
    background_fs.remove_dead_links_soon(root)


def _cleanup_candidates(root, prefix, keep):
    entries = find_prefixed(root, prefix)
    numbers = [parse_num(entry.name[len(prefix):]) for entry in entries]
    max_delete = max(numbers, default=-1) - keep
    return [Path(entry) for entry, number in zip(entries, numbers) if number <= max_delete]


def _try_cleanup(path, dead_before):
    if _ensure_deletable(path, dead_before):
        _delete_numbered_dir(path)


def _ensure_deletable(path, dead_before):
    """Unlocked, or locked by a session that died before ``dead_before``."""
    if path.is_symlink():
        return False
    lock = path.joinpath(".lock")
    try:
        if not lock.is_file():
            return True
    except OSError:
        # An unreadable lock means an unreadable directory (pytest #7491).
        return False
    try:
        lock_time = lock.stat().st_mtime
    except Exception:
        return False
    if lock_time < dead_before:
        try:
            lock.unlink()
            return True
        except OSError:
            pass
    return False


def _delete_numbered_dir(path):
    # Lock, rename out of the numbered sequence, then remove: a concurrent session never sees
    # a half-deleted numbered directory.
    import uuid

    lock = None
    try:
        lock = create_cleanup_lock(path)
        garbage = path.parent.joinpath("garbage-%s" % uuid.uuid4())
        path.rename(garbage)
        background_fs.remove_tree_soon(garbage)
    except OSError:
        return
    finally:
        if lock is not None:
            try:
                lock.unlink()
            except OSError:
                pass


def rm_rf(path):
    """Remove ``path`` recursively, making read-only entries writable on the way."""
    import shutil

    def retry_writable(func, failed, exc):
        if not isinstance(exc, PermissionError) or func not in (os.rmdir, os.remove, os.unlink):
            return
        for parent in Path(failed).parents:
            _chmod_rwx(parent)
            if parent == path:
                break
        _chmod_rwx(Path(failed))
        func(failed)

    if sys.version_info >= (3, 12):
        shutil.rmtree(str(path), onexc=retry_writable)
    else:
        shutil.rmtree(str(path), onerror=lambda func, failed, info: retry_writable(func, failed, info[1]))


def _chmod_rwx(path):
    try:
        mode = os.stat(path).st_mode
        bits = stat.S_IRWXU if stat.S_ISDIR(mode) else stat.S_IRUSR | stat.S_IWUSR
        os.chmod(path, stat.S_IMODE(mode) | bits)
    except OSError:
        pass
