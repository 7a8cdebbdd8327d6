"""Run the emulator for a person: `.venv/bin/python tests/emulator [--fast] [--poll-ms N] [-v]` (or `make emulator`).
Prints the URLs, the control API's address and the browser flags that map the names to loopback."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Import root is tests/ (on the environment's path: build/setup.sh); never this folder itself, whose module
# names are generic.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]

from emulator.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
