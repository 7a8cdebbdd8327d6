"""The third-party file the extension ships unmodified: Amazon Connect Streams (npm amazon-connect-streams, a locked
runtime dependency in package.json), whose minified release the page API runs in opted-in pages' main world.
Checked like the Brython runtime: the exact version and bytes, so that a store reviewer can diff it against npm."""
import json
import os

from .brython_pin import sha256_of
from .errors import BuildError

PACKAGE = "amazon-connect-streams"
VERSION = "2.28.2"
# sha256 of release/connect-streams-min.js in amazon-connect-streams@2.28.2 as published on npm
STREAMS_SHA256 = "a3a19302dfb8b54a4c19d362ee6b6ffee3129f31fcae91479ca450c8bf067d62"
STREAMS_FILE = "vendor/connect-streams-min.js"  # entries.PAGE_API_MAIN loads it
LICENSE_FILE = "vendor/amazon-connect-streams-LICENSE.txt"
# The toolchain's own node_modules (installed by build/setup.sh from package-lock.json), as for web-ext (lint.py)
FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "node_modules",
                      PACKAGE)


def files(folder=FOLDER):
    """{relative path in the package: bytes} of the vendored files, after checking version and hash."""
    try:
        with open(os.path.join(folder, "package.json"), encoding="utf-8") as f:
            version = json.load(f).get("version")
    except (OSError, ValueError) as err:
        raise BuildError(f"{PACKAGE} is not installed in node_modules: run `make setup`") from err
    if version != VERSION:
        raise BuildError(f"node_modules/{PACKAGE} is {version}, expected {VERSION} (package-lock.json): run `make setup`")
    streams = os.path.join(folder, "release", "connect-streams-min.js")
    actual = sha256_of(streams)
    if actual != STREAMS_SHA256:
        raise BuildError(f"{streams} has sha256 {actual}, expected {STREAMS_SHA256} ({PACKAGE}@{VERSION})")
    with open(streams, "rb") as f:
        streams_bytes = f.read()
    with open(os.path.join(folder, "LICENSE.txt"), "rb") as f:
        license_bytes = f.read()
    return {STREAMS_FILE: streams_bytes, LICENSE_FILE: license_bytes}
