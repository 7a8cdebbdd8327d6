"""Removes Brython's compiler from the shipped runtime: AOT bundles are compiled at build time, so the runtime
never parses Python, and its compiler is ~0.6 MB that every content script evaluates for nothing.

brython.js is a concatenation of top-level sections, each `(function($B){...})(__BRYTHON__)` starting a line.
A cut removes the text from `first` to `last` (both included); each must occur exactly once, the span must lie
inside one section, and a cut that starts a section must end with its closing line, so a whole section goes
or nothing does. A Brython upgrade that moves the text fails the build here, naming the cut.

What stays although only the compiler uses it: the tokenizer (str.isidentifier() and friends use its unicode
tables), the AST classes (the `ast` module), the code generator's first part (it also defines the helpers
compiled code calls to look names up, `$B.resolve_*`, and `$B.decode_position`, which tracebacks use).
Every way into the compiler starts at `new $B.Parser(...)` or, for an AST object given to exec(),
`$B._PySymtable_Build(...)`; js/no_compiler.js makes both raise a Python exception instead."""
import os

from .errors import BuildError
from .files import read_bytes

NO_COMPILER_JS = os.path.join(os.path.dirname(__file__), "js", "no_compiler.js")
SECTION_OPENERS = ("(function($B){", ";(function($B){")
SECTION_CLOSING = "})(__BRYTHON__)"


class Cut:
    def __init__(self, name, why, first, last):
        self.name, self.why, self.first, self.last = name, why, first, last


CUTS = (
    Cut("code generator (AST to JS)",
        "emits JS from an AST: only the compiler calls it ($B.js_from_root, the to_js methods); the run-time "
        "name lookups before it stay, and so does builtins_scope, which $B.resolve and $B.resolve_global read",
        "\nfunction mark_parents(node){",
        "return '// unhandled class ast.'+ast.constructor.$name}"),
    Cut("symbol table",
        "scopes of a parsed module for the code generator ($B._PySymtable_Build)",
        "(function($B){var _b_=$B.builtins\nvar GLOBAL_PARAM=",
        "set_exc_info(exc,st.filename,e.lineno,e.col_offset,e.end_lineno,e.end_col_offset)\nthrow exc}"
        "})(__BRYTHON__)"),
    Cut("parser actions",
        "the grammar's actions that build AST nodes ($B._PyPegen helpers); called by the parser only",
        "(function($B){\"use strict\";\nvar _b_=$B.builtins,NULL=undefined,DOT='.',ELLIPSIS='...'\n",
        "case $B.ast.Attribute:\nreturn NULL\ndefault:\nreturn e}}})(__BRYTHON__)"),
    Cut("string literal parser",
        "decodes string literals in source ($B.prepare_string, and the unicode name table that \\N{...} fetches); "
        "str() and str.format() do not use it",
        "(function($B){var _b_=$B.builtins\nvar s_escaped=",
        "context.raw=raw\nreturn result}})(__BRYTHON__)"),
    Cut("number literal parser",
        "decodes number literals in source ($B.prepare_number); int() and float() parse with their own code",
        "(function($B){function test_num(num_lit){",
        "return{\ntype:'int',value:[10,num.value]}}}}}})(__BRYTHON__)"),
    Cut("parser",
        "the parser object ($B.Parser) and the AST constructors the grammar calls ($B._PyAST)",
        "(function($B){\"use strict\";\nvar _b_=$B.builtins,debug=0\nvar p={feature_version:",
        "throw Error('tokenizer exhausted')}}}})(__BRYTHON__)"),
    Cut("parser engine",
        "the PEG engine: memo, token lookahead, run_parser, syntax error reporting ($B._PyPegen core)",
        "(function($B){\nvar _b_=__BRYTHON__.builtins\nconst Load=new $B.ast.Load()\n",
        "last_item:function(a,ptype){return a[a.length-1]}}})(__BRYTHON__)"),
    Cut("grammar",
        "the generated rules of Python's grammar ($B._PyPegen.parse): half the compiler's size",
        "(function($B){\"use strict\";\nfunction fprintf(dest,format){",
        "throw Error(`unknown parse mode: ${p.mode}`)}};})(__BRYTHON__)"),
)


def _only_position(source, text, cut, role):
    count = source.count(text)
    if count != 1:
        raise BuildError(f"runtime cut ({cut.name}): its {role} text {text[:80]!r} occurs {count} times in "
                         "brython.js, expected exactly once: the pinned runtime changed")
    return source.index(text)


def _span(source, cut):
    """(start, end) of the text a cut removes, after checking that it lies within one section."""
    start = _only_position(source, cut.first, cut, "first")
    last = _only_position(source, cut.last, cut, "last")
    if last < start + len(cut.first):
        raise BuildError(f"runtime cut ({cut.name}): its last text comes before the end of its first")
    end = last + len(cut.last)
    lines = source[start:end].split("\n")
    if any(line.startswith(SECTION_OPENERS) for line in lines[1:]):
        raise BuildError(f"runtime cut ({cut.name}) would span more than one section of brython.js")
    if cut.first.startswith(SECTION_OPENERS):
        if start > 0 and source[start - 1] != "\n":
            raise BuildError(f"runtime cut ({cut.name}): its first text does not start a section")
        if not cut.last.endswith(SECTION_CLOSING):
            raise BuildError(f"runtime cut ({cut.name}): a cut that starts a section must end with its closing")
    return start, end


def remove_compiler(source):
    """The runtime without the compiler sections, ending with the guard that makes the compiler's entry
    points raise a Python exception; raises BuildError naming a cut that does not match the pinned text."""
    spans = sorted((_span(source, cut), cut.name) for cut in CUTS)
    kept, position = [], 0
    for (start, end), name in spans:
        if start < position:
            raise BuildError(f"runtime cut ({name}) overlaps the one before it")
        kept.append(source[position:start])
        position = end
    kept.append(source[position:])
    return "".join(kept) + read_bytes(NO_COMPILER_JS).decode("utf-8")
