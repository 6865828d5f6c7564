import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _background_fs_done_at_once():
    """The Rust side registers ``ferrotest_runtime.background_fs``, which does file-system
    chores on a thread of its own. These tests import the runtime from its sources, so they
    get the same calls, done at once."""
    import shutil
    import types

    def force_symlink_soon(link, target):
        try:
            os.unlink(link)
        except OSError:
            pass
        os.symlink(target, link)

    def remove_dead_links_soon(directory):
        for entry in os.scandir(directory):
            if entry.is_symlink() and not os.path.exists(entry.path):
                os.unlink(entry.path)

    module = types.ModuleType("ferrotest_runtime.background_fs")
    module.force_symlink_soon = force_symlink_soon
    module.remove_tree_soon = lambda path: shutil.rmtree(path, ignore_errors=True)
    module.remove_dead_links_soon = remove_dead_links_soon
    module.take_spare_dir = lambda target, spares_parent: False
    module.close_spare_dirs = lambda: None
    module.wait = lambda: None
    sys.modules[module.__name__] = module


_background_fs_done_at_once()
