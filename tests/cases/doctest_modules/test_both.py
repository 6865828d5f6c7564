"""A test module is collected twice: for its doctests, then for its tests.

>>> 40 + 2
42
"""
IMPORTS = []
IMPORTS.append(1)


def test_imported_once():
    """
    >>> len(IMPORTS)
    1
    """
    assert IMPORTS == [1]
