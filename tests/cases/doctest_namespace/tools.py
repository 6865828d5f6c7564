def uses_namespace():
    """
    >>> answer
    42
    """


def uses_fixtures():
    """
    >>> path = getfixture('tmp_path')
    >>> path.is_dir()
    True
    >>> getfixture('greeting')
    'hello'
    """


def missing_name():
    """
    >>> undefined_name
    Traceback (most recent call last):
    NameError: name 'undefined_name' is not defined
    """
