"""Public suffixes (Public Suffix List, https://publicsuffix.org/list/): names under which anyone can register a
site ("co.uk", "github.io"). An allowlist wildcard "*.name" matches name and every name under it, so it must
cover no public suffix: "*.co.uk" or "*.github.io" would let every such site embed the agent's CCP, and so would
"*.kobe.jp" (every "x.kobe.jp" is a public suffix) or "*.amazonaws.com" (its "s3.amazonaws.com" is one).

The list comes from the pinned PyPI package publicsuffixlist, turned into data at build time
(build/grccp_build/public_suffixes.py): every rule in ASCII (IDN labels as "xn--" punycode, as hosts are written
in a configuration), one per line. The background and the extension pages load it (data/public_suffixes.js); the
content script does not (it reads a configuration the background checked). Pure: the rules come in as text."""

SEPARATOR = "\n"


class PublicSuffixList:
    """The rules: "name" (the name is a public suffix), "*.name" (every label directly under it is one),
    "!name" (an exception to a wildcard: not one). Looked up in the text itself, so that building it costs
    nothing."""

    __slots__ = ("_rules",)

    def __init__(self, rules_text):
        self._rules = SEPARATOR + rules_text.strip(SEPARATOR) + SEPARATOR

    def _has(self, rule):
        return (SEPARATOR + rule + SEPARATOR) in self._rules

    def is_public_suffix(self, name):
        """Whether the lower-case ASCII domain `name` is a public suffix. A single label always is (the list's
        implicit "*" rule: every top-level domain), and so is the base of a wildcard rule ("kobe.jp" of
        "*.kobe.jp": the list's own test data and linter read a wildcard so)."""
        if "." not in name or self._has(name) or self._has("*." + name):
            return True
        parent = name.split(".", 1)[1]
        return self._has("*." + parent) and not self._has("!" + name)

    def suffix_covered(self, name):
        """A public suffix that `name` or a name under it is (what a wildcard "*.name" would reach into): `name`
        itself if it is one, else the first rule of the list under it ("*.kobe.jp", "s3.amazonaws.com"); None
        when `name` and every name under it are registrable."""
        if self.is_public_suffix(name):
            return name
        ending = "." + name + SEPARATOR
        found = self._rules.find(ending)
        while found >= 0:
            start = self._rules.rfind(SEPARATOR, 0, found) + 1
            if self._rules[start] != "!":  # an exception is no suffix (and comes with a wildcard rule)
                return self._rules[start:found + len(ending) - 1]
            found = self._rules.find(ending, found + 1)
        return None
