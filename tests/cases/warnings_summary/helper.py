import warnings


def old_api():
    warnings.warn("old_api() is deprecated, use new_api()", DeprecationWarning, stacklevel=2)
    return 1


def noisy():
    warnings.warn("noisy helper", UserWarning)
