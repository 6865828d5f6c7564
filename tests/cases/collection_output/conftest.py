import sys

print("initial conftest prints")
sys.stderr.write("initial conftest warns\n")
