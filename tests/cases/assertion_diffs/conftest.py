class Money:
    def __init__(self, cents):
        self.cents = cents

    def __eq__(self, other):
        return isinstance(other, Money) and self.cents == other.cents


def pytest_assertrepr_compare(op, left, right):
    if isinstance(left, Money) and isinstance(right, Money) and op == "==":
        return ["Comparing Money:", f"   cents: {left.cents} != {right.cents}"]
