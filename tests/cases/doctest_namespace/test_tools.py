def test_answer():
    import tools

    assert tools.uses_namespace() is None
