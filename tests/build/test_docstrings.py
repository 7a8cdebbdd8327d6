"""The bundles leave docstrings out (build/grccp_build/docstrings.py) and keep every other line where it was."""
import ast

from grccp_build.docstrings import strip_docstrings

SOURCE = '''"""Module docstring
over two lines."""
from __future__ import annotations

import os  # é, so that columns count bytes


class Only:
    """The class's only statement."""


class Some:
    """Doc."""  # a comment stays

    def method(self):
        """Method
        doc."""
        return "not a docstring"

    async def other(self):
        x = 1
        """not first: an expression, kept"""
        return x


def odd():
    """doc"""; return 2
'''


def _statements(tree):
    return [(type(node).__name__, node.lineno, node.col_offset) for node in ast.walk(tree)
            if isinstance(node, ast.stmt)]


# (line, column) of the docstrings that go: the module's, Only's, Some's and method's (not odd's: see below)
STRIPPED_DOCSTRINGS = {(1, 0), (9, 4), (13, 4), (16, 8)}


def test_docstrings_go_and_every_other_statement_keeps_its_place():
    stripped = strip_docstrings(SOURCE)
    assert "Module docstring" not in stripped and "The class's only" not in stripped and "Method" not in stripped
    assert "a comment stays" in stripped and "not first: an expression, kept" in stripped
    assert stripped.count("\n") == SOURCE.count("\n")
    expected = [s for s in _statements(ast.parse(SOURCE)) if (s[1], s[2]) not in STRIPPED_DOCSTRINGS]
    after = _statements(ast.parse(stripped))
    assert [s for s in after if s[0] != "Pass"] == expected
    assert [s for s in after if s[0] == "Pass"] == [("Pass", 9, 4)]  # Only's body was its docstring alone


def test_a_docstring_followed_by_a_statement_on_its_line_is_left_alone():
    stripped = strip_docstrings(SOURCE)
    assert '"""doc"""; return 2' in stripped


def test_the_bundles_carry_no_docstring(project):
    project.build_ok()
    with open(project.path("dist", "chrome", "bundles", "content.js"), encoding="utf-8") as handle:
        bundle = handle.read()
    assert "The content script of an allowlisted page" not in bundle  # grccp/platform/content/__init__.py
    assert "grccp.platform.content.tab_session" in bundle
