def test_login():
    pass


def test_logout_item():
    pass
