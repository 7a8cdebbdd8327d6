"""Unit tests of the functional core run under CPython (py_src is an import root: build/setup.sh)."""
import pytest

import core_testdata


@pytest.fixture(scope="session")
def schema():
    return core_testdata.load_json(core_testdata.SCHEMA_PATH)


@pytest.fixture
def config():
    """A legacy DR configuration: the full pre-ACGR example."""
    from grccp.core.config import parse_config
    return parse_config(core_testdata.example("legacy-dr-full"))


@pytest.fixture
def acgr_config():
    from grccp.core.config import parse_config
    return parse_config(core_testdata.example("full"))
