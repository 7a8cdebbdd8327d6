"""Chrome's storage.managed_schema, derived from the configuration's JSON Schema (the single source of truth).

Chrome accepts an old JSON Schema dialect and refuses the whole extension if the schema has anything it does
not know: every node needs exactly one `type` (or `$ref`), the top level is an object without
additionalProperties, and only a few keywords exist. Rules Chrome cannot express are still enforced by the
extension's own validator when it reads storage.managed, so loosening here never lets bad policy through."""
from .errors import BuildError

_KEPT = ("title", "description", "minimum", "maximum", "pattern", "enum")
_JSON_TYPE_OF = {bool: "boolean", int: "integer", float: "number", str: "string"}
_TYPES = ("object", "array", "string", "integer", "number", "boolean")


def _resolve(node, root):
    while isinstance(node, dict) and "$ref" in node:
        reference = node["$ref"]
        if not reference.startswith("#/"):
            raise BuildError(f"managed schema: only local references are supported, not {reference!r}")
        target = root
        for part in reference[2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _single_type(node, root, where):
    declared = node.get("type")
    if isinstance(declared, list):
        declared = [t for t in declared if t != "null"]
        declared = declared[0] if len(declared) == 1 else None
    values = [node["const"]] if "const" in node else node.get("enum", [])
    if declared is None and values:
        kinds = {_JSON_TYPE_OF.get(type(value)) for value in values}
        declared = kinds.pop() if len(kinds) == 1 else None
    if declared is None:
        alternatives = [_resolve(a, root) for key in ("oneOf", "anyOf") for a in node.get(key, ())]
        kinds = {_single_type(a, root, where) for a in alternatives}
        declared = kinds.pop() if len(kinds) == 1 else None
    if declared not in _TYPES:
        raise BuildError(f"managed schema: {where or '(top)'} has no single type Chrome can declare")
    return declared


def _convert(node, root, where):
    node = _resolve(node, root)
    kind = _single_type(node, root, where)
    out = {"type": kind}
    for key in _KEPT:
        if key in node:
            out[key] = node[key]
    if "const" in node:
        out["enum"] = [node["const"]]
    if kind == "object":
        properties = node.get("properties", {})
        if properties:
            out["properties"] = {name: _convert(child, root, f"{where}/{name}") for name, child in properties.items()}
        if isinstance(node.get("additionalProperties"), dict):
            out["additionalProperties"] = _convert(node["additionalProperties"], root, f"{where}/*")
    if kind == "array" and isinstance(node.get("items"), dict):
        out["items"] = _convert(node["items"], root, f"{where}/items")
    return out


def derive(config_schema):
    schema = _convert(config_schema, config_schema, "")
    if schema["type"] != "object":
        raise BuildError("managed schema: the configuration must be an object at the top level")
    schema.pop("additionalProperties", None)  # Chrome: top-level properties are the policy names
    return schema
