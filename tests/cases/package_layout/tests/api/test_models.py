from app import greet


def test_api_greet():
    assert greet("api") == "hello api"


class TestApiModel:
    def test_name(self):
        assert __name__ == "tests.api.test_models"
