"""The Public Suffix List the build wrote into data/public_suffixes.js, which the background and the options page
load before their bundles (build/grccp_build/entries.py), as core.public_suffixes reads it: read once."""
from grccp.core.public_suffixes import PublicSuffixList

from . import webext

_read = []


def public_suffixes():
    if not _read:
        _read.append(PublicSuffixList(str(webext.global_scope.grccpPublicSuffixList)))
    return _read[0]
