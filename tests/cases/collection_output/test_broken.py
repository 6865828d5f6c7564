import sys

print("broken module prints")
sys.stderr.write("broken module warns\n")
raise ImportError("cannot import this")
