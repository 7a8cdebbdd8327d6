"""Joins compiled modules into one static bundle per entry point."""
from .files import read_bytes


def bundle_text(entry_name, module_outputs, runtime_version):
    """The bundle for one entry: a version check, then one registration per module (user modules and their
    stdlib closure), in a stable order so identical inputs give identical bytes."""
    parts = [
        f"// {entry_name}: Python compiled ahead of time by Brython {runtime_version}; generated, do not edit.\n",
        f"__BRYTHON__.aot.checkVersion({runtime_version!r});\n",
    ]
    for name in sorted(module_outputs):
        parts.append(read_bytes(module_outputs[name]).decode("utf-8"))
    return "".join(parts)
