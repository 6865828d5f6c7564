"""Arithmetic helpers.

>>> add(2, 3)
5
"""


def add(a, b):
    """Add two numbers.

    >>> add(1, 2)
    3
    >>> add(1, 1)
    3
    """
    return a + b


def ratio():
    """NUMBER compares only the digits written; ELLIPSIS is on by default.

    >>> ratio()
    0.333
    >>> list(range(20))
    [0, 1, ..., 19]
    >>> u'text'
    'text'
    """
    return 1 / 3


def skipped():
    """Every example skipped: the item is skipped.

    >>> skipped()  # doctest: +SKIP
    'never'
    """


def no_examples():
    """A docstring without examples yields no item."""


class Stack:
    """A stack.

    >>> Stack().items
    []
    """

    def __init__(self):
        self.items = []

    def pop(self):
        """Raises on an empty stack.

        >>> Stack().pop()
        Traceback (most recent call last):
        IndexError: pop from empty list
        >>> Stack().peek()
        """
        return self.items.pop()
