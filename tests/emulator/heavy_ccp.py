"""Heavy-CCP mode: the assets that make the emulated CCP page as costly as a large single-page app (README "Heavy
CCP"). Generated once per process, deterministically (same bytes every run, so benchmark runs compare):

  heavy.css  static/ccp/heavy-app.css (the shell's layout) + ~1,600 utility rules, ~600 long descendant selectors
             and ~300 rules in width media queries (they flip as a hidden 0x0 CCP is shown at full size)
  heavy.js   a module payload (~2,000 generated modules, ~1.4 MB; 30 % run at start, as a bundle's start-up does)
             + static/ccp/heavy-app.js (renders the app shell and sizes its virtual list on every resize)
"""
import functools
import os
import random

MODULES = 2_000
MODULES_RUN_AT_START = 600
UTILITY_RULES = 1_600
DESCENDANT_RULES = 600
MEDIA_WIDTHS = (360, 480, 640, 960)
MEDIA_RULES_EACH = 75
SEED = 20_261_202

PROPERTIES = ("padding: {n}px", "margin-left: {n}px", "letter-spacing: 0.0{n}em", "border-radius: {n}px",
              "color: #{c}", "background-color: #{c}", "font-size: 1{n}px", "line-height: 1.{n}",
              "min-height: {n}px", "border-left: {n}px solid #{c}")
LAYOUT_CHANGES = ("grid-template-columns: 1fr", "flex-direction: row", "flex-wrap: nowrap", "display: block",
                  "gap: {n}px", "font-size: 1{n}px", "padding: {n}px {n}px")
PARTS = (".hc-row-name", ".hc-row-detail", ".hc-icon", ".hc-row-call", ".hc-field-label", ".hc-attr-value")
CONTAINERS = (".hc-rail", ".hc-status", ".hc-cards", ".hc-card", ".hc-attributes", ".hc-list", ".hc-row",
              ".hc-settings", ".hc-field", ".hc-actions")


@functools.lru_cache(maxsize=None)
def stylesheet(static_dir):
    rng = random.Random(SEED)
    rules = [_read(static_dir, "heavy-app.css")]
    for n in range(UTILITY_RULES):
        rules.append(f".u-{n} {{ {_declarations(rng, PROPERTIES, 3)} }}")
    for n in range(DESCENDANT_RULES):
        rules.append(f".hc-app .hc-main .hc-list > .hc-row.u-{400 + n} {rng.choice(PARTS)} "
                     f"{{ {_declarations(rng, PROPERTIES, 2)} }}")
    for width in MEDIA_WIDTHS:
        body = "\n".join(f"  {rng.choice(CONTAINERS)}.u-{rng.randrange(UTILITY_RULES)}, {rng.choice(CONTAINERS)} "
                         f"{{ {_declarations(rng, LAYOUT_CHANGES, 2)} }}" for _ in range(MEDIA_RULES_EACH))
        rules.append(f"@media (max-width: {width}px) {{\n{body}\n}}")
    return "\n".join(rules).encode()


@functools.lru_cache(maxsize=None)
def script(static_dir):
    rng = random.Random(SEED + 1)
    parts = ["'use strict';\n/* Heavy-CCP mode: generated module payload (heavy_ccp.py), then the app shell. */\n"
             "var HeavyModules = (function () {\n  var defined = {}, cache = {};\n"
             "  function require(id) {\n    if (!(id in cache)) { var exports = {}; defined[id](exports, require); "
             "cache[id] = exports; }\n    return cache[id];\n  }\n"]
    for n in range(MODULES):
        parts.append(_module(rng, n))
    start = sorted(rng.sample(range(MODULES), MODULES_RUN_AT_START))
    parts.append(f"  {start!r}.forEach(require);\n  return {{require: require, count: {MODULES}}};\n}})();\n")
    parts.append(_read(static_dir, "heavy-app.js"))
    return "".join(parts).encode()


def _module(rng, n):
    """One module: a lookup table built when it runs, a few functions, a dependency on an earlier module."""
    words = " ".join(rng.choice(("queue", "agent", "contact", "routing", "profile", "channel", "metric", "state",
                                 "transfer", "voice", "chat", "task", "callback", "region")) for _ in range(12))
    dependency = f"require({rng.randrange(n)}); " if n else ""
    return (f"  defined[{n}] = function (exports, require) {{\n"
            f"    {dependency}var table = {{}}, words = '{words}'.split(' ');\n"
            f"    for (var i = 0; i < {rng.randrange(20, 60)}; i++) table[words[i % words.length] + i] = i * {n};\n"
            f"    exports.describe = function (key) {{ return '{n}:' + key + ':' + (table[key] || 0); }};\n"
            f"    exports.score = function (values) {{ return values.reduce(function (s, v) {{ return s + v * "
            f"{rng.randrange(1, 9)}; }}, {n}); }};\n"
            f"    exports.label = function (state) {{ return state && state.name ? state.name.toUpperCase() : "
            f"'{words.split()[0]}'; }};\n"
            f"    exports.format = function (ms) {{ var s = Math.floor(ms / 1000); return Math.floor(s / 60) + ':' + "
            f"('0' + s % 60).slice(-2); }};\n"
            f"    exports.table = table;\n  }};\n")


def _declarations(rng, properties, count):
    return "; ".join(rng.choice(properties).format(n=rng.randrange(1, 9), c=f"{rng.randrange(0x1000000):06x}")
                     for _ in range(count)) + ";"


def _read(static_dir, name):
    with open(os.path.join(static_dir, name), encoding="utf-8") as handle:
        return handle.read()
