def test_found_only_with_default_python_files():
    pass
