"""The one error type the toolchain raises for problems a developer must fix; its text is the whole message."""


class BuildError(Exception):
    pass


class SourceError(BuildError):
    """A problem located in a source file: always names the file and, when known, the line."""

    def __init__(self, path, line, message):
        self.path, self.line = path, line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
