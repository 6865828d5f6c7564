def make_user(name):
    return {"name": name, "active": True}
