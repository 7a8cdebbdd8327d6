// Compiled modules call the runtime through __BRYTHON__ at every step: `$B.set_lineno(frame, 12)`,
// `$B.$getattr_pep657(...)`, `_b_.None`. A minifier cannot shorten a property name, so each call spells the helper's
// name out (a quarter of a bundle), and each is a lookup on an object of ~1,500 properties. This pass reads each
// helper a module uses more than once into a local at the top of the module (`var $rt_set_lineno = $B.set_lineno`),
// and the module's own name, which Brython writes into every function's metadata, into another; the minifier then
// gives the locals one- or two-letter names.
//
// A call through a local has no receiver, and the local keeps the function the module started with. So a helper is
// read into a local only when the shipped runtime defines it once and never assigns it again (no other `.name =`
// in the runtime or the loader) and its text never mentions `this`; every other helper stays a property call.
// The pass parses the module (acorn) and refuses a module in which `$B`, `_b_` or a `$rt_` name is declared
// anywhere but where the compiler puts them, so a rewritten name always means what it meant.
'use strict';
const acorn = require('acorn');
const vm = require('vm');

const PREFIX = '$rt_';
const MODULE_NAME_LOCAL = PREFIX + 'module_name';

// Helpers a module may call through a local: `name => true/false`, judged on the shipped runtime files (texts, in
// load order: the runtime first).
function stableHelpers(texts) {
  // a context of its own (the compiler's runtime is loaded in this process), with what Brython initialises with
  const {process, URL, TextEncoder, TextDecoder, console, setTimeout, clearTimeout, performance} = globalThis;
  const context = vm.createContext({addEventListener() {}, process, URL, TextEncoder, TextDecoder, console,
                                    setTimeout, clearTimeout, performance});
  vm.runInContext('self = global = globalThis; var module = {}', context);
  vm.runInContext(texts[0], context, {filename: 'runtime'});
  const runtime = context.__BRYTHON__;
  const all = texts.join('\n');
  const verdicts = new Map();
  return function isStable(name) {
    if (!verdicts.has(name)) {
      const helper = Object.prototype.hasOwnProperty.call(runtime, name) ? runtime[name] : undefined;
      const escaped = name.replace(/\$/g, '\\$');
      const assignments = all.match(new RegExp(`\\.${escaped}\\s*=(?!=)|\\[['"]${escaped}['"]\\]\\s*=(?!=)`, 'g'));
      verdicts.set(name, typeof helper === 'function' && !/\bthis\b/.test(String(helper)) &&
                   assignments !== null && assignments.length === 1);
    }
    return verdicts.get(name);
  };
}

function children(node) {
  const found = [];
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === 'string') found.push(item);
    } else if (value && typeof value.type === 'string') {
      found.push(value);
    }
  }
  return found;
}

function declaredNames(node) {
  // identifiers a node declares: variables, functions, parameters, catch parameters
  const patterns = [];
  if (node.type === 'VariableDeclarator') patterns.push(node.id);
  if (/Function/.test(node.type)) {
    if (node.id) patterns.push(node.id);
    patterns.push(...node.params);
  }
  if (node.type === 'CatchClause' && node.param) patterns.push(node.param);
  const names = [];
  const collect = (pattern) => {
    if (!pattern) return;
    if (pattern.type === 'Identifier') names.push(pattern.name);
    else if (pattern.type === 'AssignmentPattern') collect(pattern.left);
    else if (pattern.type === 'RestElement') collect(pattern.argument);
    else if (pattern.type === 'ArrayPattern') pattern.elements.forEach(collect);
    else if (pattern.type === 'ObjectPattern') pattern.properties.forEach((p) => collect(p.value || p.argument));
  };
  patterns.forEach(collect);
  return names;
}

function isPlainMember(node, object, property) {
  return node.type === 'MemberExpression' && !node.computed && !node.optional && node.object.type === 'Identifier' &&
    node.object.name === object && node.property.type === 'Identifier' && (!property || node.property.name === property);
}

// The module's text with its repeated helpers, `_b_.None` and its name read into locals. `code` is Brython's output
// for one module (it starts by declaring $B and _b_); `moduleName` is the module's dotted name.
function withLocalHelpers(code, moduleName, isStable) {
  const tree = acorn.parse(code, {ecmaVersion: 'latest', allowReturnOutsideFunction: true});
  const header = tree.body[0];
  if (!header || header.type !== 'VariableDeclaration' || !header.declarations.some(
    (d) => d.id.name === '$B') || !header.declarations.some((d) => d.id.name === '_b_')) {
    throw new Error(`${moduleName}: compiled code does not start by declaring $B and _b_`);
  }
  const uses = new Map();  // local name -> {source, sites: [[start, end]]}
  const use = (local, source, node) => {
    if (!uses.has(local)) uses.set(local, {source, sites: []});
    uses.get(local).sites.push([node.start, node.end]);
  };
  const visit = (node, parent) => {
    for (const name of declaredNames(node)) {
      if ((name === '$B' || name === '_b_') ? parent !== header : name.startsWith(PREFIX)) {
        throw new Error(`${moduleName}: compiled code declares ${name} where this pass does not expect it`);
      }
    }
    if (node.type === 'Identifier' && node.name.startsWith(PREFIX)) {
      throw new Error(`${moduleName}: compiled code already uses the name ${node.name}`);
    }
    if (node.start >= header.end) {
      if (node.type === 'CallExpression' && !node.optional && isPlainMember(node.callee, '$B') &&
          isStable(node.callee.property.name)) {
        use(PREFIX + node.callee.property.name, '$B.' + node.callee.property.name, node.callee);
      } else if (isPlainMember(node, '_b_', 'None') &&
                 !(parent && parent.type === 'AssignmentExpression' && parent.left === node)) {
        use(PREFIX + 'None', '_b_.None', node);
      } else if (node.type === 'Literal' && node.value === moduleName &&
                 !(parent && parent.type === 'Property' && parent.key === node && !parent.computed)) {
        use(MODULE_NAME_LOCAL, JSON.stringify(moduleName), node);
      }
    }
    for (const child of children(node)) visit(child, node);
  };
  visit(tree, null);

  const chosen = [...uses.entries()].filter(([, found]) => found.sites.length > 1).sort(([a], [b]) => a < b ? -1 : 1);
  if (chosen.length === 0) return code;
  const edits = chosen.flatMap(([local, found]) => found.sites.map(([start, end]) => [start, end, local]));
  edits.push([header.end, header.end, `\nvar ${chosen.map(([local, found]) => `${local} = ${found.source}`).join(',\n')}`]);
  edits.sort((a, b) => b[0] - a[0]);
  let result = code;
  for (const [start, end, text] of edits) result = result.slice(0, start) + text + result.slice(end);
  return result;
}

module.exports = {stableHelpers, withLocalHelpers};
