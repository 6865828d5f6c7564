"""Where every fixture and test of this project writes what it does, in order."""
import os

LOG = os.path.join(os.path.dirname(__file__), "log.txt")


def log(message):
    with open(LOG, "a") as file:
        file.write(message + "\n")
