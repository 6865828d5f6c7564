def test_db_model():
    assert __name__ == "tests.db.test_models"


def test_db_fails():
    assert __name__ == "test_models"
