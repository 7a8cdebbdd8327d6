"""Run the emulator for a person: `.venv/bin/python tests/emulator [--fast] [--poll-ms N] [-v]`.
Prints the URLs, the control API's address and the browser flags that map the names to loopback."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # import root: tests/

from emulator.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
