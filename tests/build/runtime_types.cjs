// Test helper: loads a Brython runtime under Node and prints, as one JSON line, what its start made of every
// built-in type: each entry of the type's dict (its kind, and for a slot wrapper which of the type's own slots it
// wraps) in order, its MRO, where each slot of the type comes from (the class of its MRO that has it, NULL, or
// none), and the infos (name, qualified name, module, ...) of the functions the type and its tp_funcs hold.
// usage: node runtime_types.cjs <runtime.js>
'use strict';
const path = require('path');
globalThis.self = globalThis;
globalThis.addEventListener = function () {};
const $B = require(path.resolve(process.argv[2])).__BRYTHON__;
const slots = Object.keys($B.wrapper_methods);

function kindOf(value) {
  return value !== null && typeof value === 'object' && value.ob_type ? value.ob_type.tp_name : typeof value;
}

function describe(cls) {
  const dict = [];
  for (const item of $B.builtins.dict.$iter_items($B.get_dict(cls))) {
    const value = item.value;
    let from = '';
    if (kindOf(value) === 'wrapper_descriptor') {
      from = slots.filter((slot) => Object.hasOwn(cls, slot) && cls[slot] === value.wrapped).join('+') || 'made';
    }
    dict.push([item.key, kindOf(value), from]);
  }
  const origins = {};
  for (const slot of slots) {
    const value = cls[slot];
    if (value === undefined) continue;
    // the nearest base that has the same value (the type inherited it), else the type itself
    const base = (cls.tp_mro || []).slice(1).find((kls) => Object.hasOwn(kls, slot) && kls[slot] === value);
    origins[slot] = value === $B.NULL ? 'NULL' : base ? base.tp_name : Object.hasOwn(cls, slot) ? cls.tp_name : '?';
  }
  return {name: cls.tp_name, mro: (cls.tp_mro || []).map((kls) => kls.tp_name), dict: dict, slots: origins,
          functions: functionsOf(cls).concat(functionsOf(cls.tp_funcs))};
}

// [name, infos] of each function an object holds, an info given as its JSON or its kind, a hole as null
function functionsOf(holder) {
  if (!holder) return [];
  return Object.entries(holder).filter(([, value]) => typeof value === 'function').map(([name, f]) => [
    name, Array.from(f.$function_infos || [], (info) => info === undefined ? null : jsonOrKind(info))]);
}

function jsonOrKind(value) {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch (error) {
    return kindOf(value);
  }
}

const seen = new Set();
const types = [];
for (const cls of [...Object.values($B.builtin_types), ...Object.values($B.created_types)]) {
  if (!seen.has(cls)) {
    seen.add(cls);
    types.push(describe(cls));
  }
}
process.stdout.write(JSON.stringify(types) + '\n');
