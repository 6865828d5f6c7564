import os
import sys
from pathlib import Path

# Make the helpers/ directory importable for every test module, as many projects do.
sys.path.insert(0, str(Path(__file__).parent / "helpers"))

API_VERSION = 3
os.environ["DEMO_MODE"] = "testing"
