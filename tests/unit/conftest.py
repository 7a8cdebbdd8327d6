"""Unit tests of the functional core run under CPython with py_src importable."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import core_testdata  # noqa: E402  (needs the path above)

sys.path.insert(0, core_testdata.PY_SRC)


@pytest.fixture(scope="session")
def schema():
    return core_testdata.load_json(core_testdata.SCHEMA_PATH)


@pytest.fixture
def config():
    from grccp.core.config import parse_config
    return parse_config(core_testdata.example("full"))
