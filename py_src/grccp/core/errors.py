"""The core's error types. Every parser raises only its own type, whatever the input, so callers can catch
exactly one class at each boundary."""


class CoreError(Exception):
    """Base of every error the core raises on purpose."""


class ProtocolError(CoreError):
    """A message from a CCP frame (or a snapshot or log entry inside one) has the wrong shape."""


class MessageError(CoreError):
    """A runtime message between the extension's own contexts is unknown or has the wrong shape."""


class StateError(CoreError):
    """A persisted state could not be restored; the caller starts fresh (and logs why)."""


class FieldError:
    """One configuration problem: where (a JSON-pointer-like path such as "regions/1/instanceArn", "" for the
    whole document), which rule, and a message for people."""

    __slots__ = ("path", "rule", "message")

    def __init__(self, path, rule, message):
        self.path = path
        self.rule = rule
        self.message = message

    def __str__(self):
        return f"{self.path}: {self.message}" if self.path else self.message

    def __repr__(self):
        return f"FieldError({self.path!r}, {self.rule!r}, {self.message!r})"

    def __eq__(self, other):
        return isinstance(other, FieldError) and (self.path, self.rule, self.message) == (
            other.path, other.rule, other.message)

    def __hash__(self):
        return hash((self.path, self.rule, self.message))

    def to_dict(self):
        return {"path": self.path, "rule": self.rule, "message": self.message}


class ConfigError(CoreError):
    """A configuration was refused; `errors` lists every FieldError found (never empty)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))
