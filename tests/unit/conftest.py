"""Unit tests of the functional core run under CPython (py_src is an import root: build/setup.sh)."""
import pytest

import core_testdata


@pytest.fixture(scope="session")
def schema():
    return core_testdata.load_json(core_testdata.SCHEMA_PATH)


@pytest.fixture
def config():
    from grccp.core.config import parse_config
    return parse_config(core_testdata.example("full"))
