import os


def cwd_name():
    return os.path.basename(os.getcwd())


class Greeter:
    greeting = "hello"

    def greet(self, name):
        return "%s %s" % (self.greeting, name)


SETTINGS = {"mode": "prod"}
