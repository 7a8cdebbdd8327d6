"""The configuration in force: the user's local configuration with the enterprise policy over it, one top-level
field at a time. The background applies it, the background's save handler checks a save with it, and the
options page checks its form with it: one function (effective_config), one rule for what a save stores
(local_to_store).

Either side may be None (nothing stored, no policy) or anything else storage happens to hold: a side that is not
an object is reported, never raised.

A policy that sets `regions` but not `protocol` was written for legacy DR, before `protocol` existed: it sets
the protocol too (legacy DR), so that a user's local choice of ACGR cannot change what the policy means."""

from .config import DEFAULT_PROTOCOL, TOP_LEVEL_FIELDS, parse_config, type_name
from .errors import ConfigError, FieldError


def _as_written(managed):
    """The policy with what it implies: a pre-ACGR policy (regions, no protocol) sets the legacy protocol."""
    if isinstance(managed, dict) and "regions" in managed and "protocol" not in managed:
        managed = dict(managed)
        managed["protocol"] = DEFAULT_PROTOCOL
    return managed


def merge_managed(local, managed):
    """(merged configuration object, managed top-level field names in schema order, then unknown ones sorted):
    the policy's top-level fields replace the local ones whole. Raises ConfigError if a side is not an object.
    The result still needs parse_config."""
    errors = []
    for label, side in (("local configuration", local), ("managed policy", managed)):
        if side is not None and not isinstance(side, dict):
            errors.append(FieldError("", "type", f"the {label} must be an object, not {type_name(side)}"))
    if errors:
        raise ConfigError(errors)
    merged = dict(local or {})
    merged.update(_as_written(managed) or {})
    return merged, managed_fields(managed)


def managed_fields(managed):
    """The top-level field names a policy sets, `protocol` included when it implies it (schema order, then
    unknown ones sorted); () without a policy."""
    managed = _as_written(managed)
    if not isinstance(managed, dict):
        return ()
    known = [name for name in TOP_LEVEL_FIELDS if name in managed]
    unknown = sorted(str(name) for name in managed if name not in TOP_LEVEL_FIELDS)
    return tuple(known + unknown)


class ConfigState:
    """The stored local configuration and the policy as storage holds them (None when absent; anything else is
    possible), and what is in force: `config` (a config.Config, or None: nothing configured, or refused), the field names the
    policy manages, and the FieldErrors that refused it."""

    __slots__ = ("local", "managed", "config", "managed_fields", "errors")

    def __init__(self, local, managed, config, fields, errors):
        self.local = local
        self.managed = managed
        self.config = config
        self.managed_fields = fields
        self.errors = errors


def effective_config(local, managed, public_suffixes, allow_empty=False):
    """The ConfigState of a local configuration with a policy over it (either may be None), checked with the
    Public Suffix List (core.public_suffixes.PublicSuffixList). allow_empty: nothing at all (no field on either
    side) is no error but no configuration (the background before the first save); a form or a save must be a
    whole configuration."""
    fields = managed_fields(managed)
    config, errors = None, []
    try:
        merged, _ = merge_managed(local, managed)
        if merged or not allow_empty:
            config = parse_config(merged, public_suffixes)
    except ConfigError as problem:
        errors = problem.errors
    return ConfigState(local, managed, config, fields, errors)


def local_part(config_obj, fields):
    """What of a configuration object is the user's to store: every top-level field the policy does not set."""
    managed = set(fields or ())
    return {name: value for name, value in config_obj.items() if name not in managed}


def local_to_store(submitted, stored_local, managed):
    """What saving `submitted` stores: its fields the policy does not set, and, for those the policy sets, what
    was stored before (not in force while the policy sets them; in force again if the policy stops setting
    them). The policy's values are never stored as the user's."""
    fields = managed_fields(managed)
    local = local_part(submitted, fields)
    previous = stored_local if isinstance(stored_local, dict) else {}
    for name in fields:
        if name in previous:
            local[name] = previous[name]
    return local
