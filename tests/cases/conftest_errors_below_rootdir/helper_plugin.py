raise RuntimeError("never imported either")
