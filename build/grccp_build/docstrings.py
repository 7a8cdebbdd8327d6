"""Docstrings are for readers: the bundles leave them out (nothing reads __doc__ at run time, and Brython ships
each one as a string literal). A docstring becomes blank lines, or `pass` where it is its body's only statement,
so that every other statement keeps its line and column: what Brython reports in a traceback still points at the
source."""
import ast

_BODIES = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _docstrings(tree):
    """(docstring expression, whether it is its body's only statement) of every module, class and function."""
    for node in ast.walk(tree):
        if isinstance(node, _BODIES) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(
                    first.value.value, str):
                yield first, len(node.body) == 1


def strip_docstrings(source):
    """The source without its docstrings, every other line where it was."""
    lines = source.encode("utf-8").splitlines(keepends=True)  # ast columns count UTF-8 bytes
    for expr, alone in sorted(_docstrings(ast.parse(source)), key=lambda found: found[0].lineno, reverse=True):
        first, last = expr.lineno - 1, expr.end_lineno - 1
        kept_before = lines[first][:expr.col_offset]
        kept_after = lines[last][expr.end_col_offset:]
        if kept_after.strip() and not kept_after.strip().startswith(b"#"):
            continue  # a statement follows on the same line ("""doc"""; x = 1): left as it is
        replacement = kept_before + (b"pass" if alone else b"") + b"\n" * (last - first) + kept_after
        lines[first:last + 1] = [replacement]
    return b"".join(lines).decode("utf-8")
