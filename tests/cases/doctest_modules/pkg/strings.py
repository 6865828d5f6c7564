def shout(text):
    """
    >>> shout("hi")
    'HI!'
    >>> shout("a")  # doctest: +SKIP
    'nope'
    """
    return text.upper() + "!"
