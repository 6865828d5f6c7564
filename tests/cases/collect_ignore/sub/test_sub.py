raise RuntimeError("must not be imported")
