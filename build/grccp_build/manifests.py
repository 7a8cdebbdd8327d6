"""One manifest per browser: manifest/base.json merged with manifest/<browser>.json, validated against the
manifest schema kept in the repository."""
import json
import os

import jsonschema

from .errors import BuildError

BROWSERS = ("chrome", "firefox")


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as err:
        raise BuildError(f"{path}: cannot read JSON: {err}") from err


def merge(base, overlay):
    """Overlay wins: objects merge key by key, anything else (lists included) is replaced; null removes a key."""
    merged = dict(base)
    for key, value in overlay.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def validate(manifest, browser, schema):
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"#/$defs/{browser}", "$defs": schema["$defs"]},
        format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
    if errors:
        details = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:5])
        raise BuildError(f"generated {browser} manifest is invalid: {details}")


def build_manifest(manifest_dir, browser, background):
    """base.json with the browser's overlay and the background member (written by the build: load_lists)."""
    schema = load_json(os.path.join(manifest_dir, "manifest.schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    manifest = merge(load_json(os.path.join(manifest_dir, "base.json")),
                     load_json(os.path.join(manifest_dir, f"{browser}.json")))
    manifest["background"] = background
    validate(manifest, browser, schema)
    return manifest
