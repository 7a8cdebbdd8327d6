"""Toolchain tests build copies of the project's sources (or small made-up trees) into a scratch folder."""
import os
import shutil
import subprocess
import sys

import pytest

from rig import REPO

NODE_RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_bundle.cjs")


class ProjectCopy:
    """A copy of py_src/, extension/ and manifest/ that a test may change, and builds of it."""

    def __init__(self, root, minify_cache=None):
        self.root = root
        # None: built as compiled (minifying every bundle of every copy took +1.5 min of the suite); a folder:
        # minified as shipped, the folder shared by the session's copies
        self.minify_cache = minify_cache
        for part in ("py_src", "extension", "manifest"):
            shutil.copytree(os.path.join(REPO, part), os.path.join(root, part))
        self.out = os.path.join(root, "dist")

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def write(self, relative, text):
        path = self.path(relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def build(self, archives=False):
        """Runs the toolchain as make does; returns (exit code, stdout+stderr)."""
        command = [sys.executable, "-m", "grccp_build", "--repo", self.root, "--out", self.out, "--quiet"]
        if not archives:
            command.append("--no-archives")
        command += ["--minify-cache", self.minify_cache] if self.minify_cache else ["--no-minify"]
        completed = subprocess.run(command, capture_output=True, text=True)
        return completed.returncode, completed.stdout + completed.stderr

    def build_ok(self, archives=False):
        code, output = self.build(archives)
        assert code == 0, output
        return self.report()

    def report(self):
        import json
        with open(os.path.join(self.out, "build-report.json")) as f:
            return json.load(f)

    def run_in_node(self, browser, bundle, module, queued=False):
        """Executes a built bundle under Node with the shipped runtime and loader; returns (code, output).
        queued: loaded as the content script loads them, each file queued until its step is called."""
        package = os.path.join(self.out, browser)
        completed = subprocess.run(["node", NODE_RUNNER, package, bundle, module] + (["queued"] if queued else []),
                                   capture_output=True, text=True)
        # Brython's print ends each line with a newline that console.log doubles
        return completed.returncode, (completed.stdout + completed.stderr).replace("\n\n", "\n")


@pytest.fixture(scope="session")
def minify_cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("minified"))


@pytest.fixture
def project(tmp_path):
    return ProjectCopy(str(tmp_path / "project"))


@pytest.fixture
def shipped_project(tmp_path, minify_cache):
    """A copy built as it ships (minified): for the tests that run what it built."""
    return ProjectCopy(str(tmp_path / "project"), minify_cache)
