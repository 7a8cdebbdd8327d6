"""`python tests/demo` (what `make demo` runs after building): see scenario.py."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from demo.scenario import main  # noqa: E402

sys.exit(main())
