"""The extension's Python entry points: each becomes bundles/<bundle>.js, run by a boot file in extension/."""


class EntryPoint:
    __slots__ = ("bundle", "module")

    def __init__(self, bundle, module):
        self.bundle, self.module = bundle, module


ENTRY_POINTS = (
    EntryPoint("content", "content_script"),
    EntryPoint("background", "background"),
    EntryPoint("popup", "popup"),
    EntryPoint("options", "options"),
)
