"""The pinned Brython: where its files are and proof that they are the exact build the bundles target."""
import hashlib
import os

from .errors import BuildError

VERSION = "3.15.0"
# sha256 of brython.js and brython_stdlib.js as shipped in the PyPI wheel brython==3.15.0
RUNTIME_SHA256 = "686eb4ef3fbb5dfa6acf932469a6a6e6c105fc9ad074f1bc5053e53f98ee3198"
STDLIB_SHA256 = "87c63f98f5c95a28969a263d7346ddbdc31d30a736f544209618a8f636f59c4b"


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def data_dir():
    try:
        import brython
    except ImportError as err:
        raise BuildError(f"brython=={VERSION} is not installed: run `make setup`") from err
    return os.path.join(os.path.dirname(brython.__file__), "data")


def verified_files():
    """Paths of the pinned runtime and stdlib, after checking both hashes."""
    directory = data_dir()
    runtime = os.path.join(directory, "brython.js")
    stdlib = os.path.join(directory, "brython_stdlib.js")
    for path, expected in ((runtime, RUNTIME_SHA256), (stdlib, STDLIB_SHA256)):
        if not os.path.exists(path):
            raise BuildError(f"{path} is missing: reinstall brython=={VERSION}")
        actual = sha256_of(path)
        if actual != expected:
            raise BuildError(f"{path} has sha256 {actual}, expected {expected} (brython=={VERSION}); "
                             "the compiled bundles only run with the exact runtime they were built for")
    return runtime, stdlib
