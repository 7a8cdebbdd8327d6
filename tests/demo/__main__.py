"""`python tests/demo` (what `make demo` runs after building): see scenario.py."""
import sys

from demo.scenario import main

sys.exit(main())
