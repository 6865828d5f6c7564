class TestOuter:
    def test_outer(self):
        assert True

    class TestInner:
        def test_inner(self):
            assert 1 + 1 == 2

        class TestDeepest:
            def test_deepest(self):
                assert "deep"

    class NotATest:
        def test_hidden(self):
            raise AssertionError("never collected")

    def test_after_inner(self):
        assert False, "fails after the nested class"
