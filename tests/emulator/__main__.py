"""Run the emulator for a person: `.venv/bin/python tests/emulator [--fast] [--poll-ms N] [-v]` (or `make emulator`).
Prints the URLs, the control API's address and the browser flags that map the names to loopback."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Import root is tests/ (as in the test suite); never this folder itself, whose module names are generic.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
sys.path.insert(0, os.path.dirname(HERE))

from emulator.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
