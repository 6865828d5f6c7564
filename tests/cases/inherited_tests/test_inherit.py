class TestBase:
    value = 1

    def test_value_positive(self):
        assert self.value > 0

    def test_value_small(self):
        assert self.value < 10


class TestChild(TestBase):
    value = 5

    def test_value_small(self):
        assert self.value < 3

    def test_child_only(self):
        assert self.value == 5


class Mixin:
    def test_from_mixin(self):
        assert self.name == "x"


class TestWithMixin(Mixin):
    name = "x"

    def test_own(self):
        assert True
