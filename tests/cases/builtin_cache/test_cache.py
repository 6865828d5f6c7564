import json


def test_set(cache):
    cache.set("example/value", {"list": [1, 2], "text": "é"})
    cache.set("example/number", 42)


def test_get_in_a_later_test(cache):
    assert cache.get("example/value", None) == {"list": [1, 2], "text": "é"}
    assert cache.get("example/number", None) == 42
    assert cache.get("example/missing", "default") == "default"


def test_on_disk_format(pytestconfig):
    root = pytestconfig.rootpath / ".pytest_cache"
    text = (root / "v" / "example" / "value").read_text(encoding="utf-8")
    assert text == '{\n  "list": [\n    1,\n    2\n  ],\n  "text": "é"\n}'
    assert json.loads(text)["text"] == "é"
    for name in ("README.md", ".gitignore", "CACHEDIR.TAG"):
        assert (root / name).is_file()


def test_mkdir(cache, pytestconfig):
    path = cache.mkdir("my_dir")
    assert path == pytestconfig.rootpath / ".pytest_cache" / "d" / "my_dir"
    assert path.is_dir()


def test_unreadable_value_gives_the_default(cache, pytestconfig):
    path = pytestconfig.rootpath / ".pytest_cache" / "v" / "broken"
    path.write_text("{not json")
    assert cache.get("broken", 7) == 7
