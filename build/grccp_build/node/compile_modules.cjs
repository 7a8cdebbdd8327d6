// Compiles Python modules to static JS with Brython's own compiler, at build time, under Node.
//
// usage: node compile_modules.cjs <request.json>
// request = {
//   compiler: <path of the pinned, unmodified brython.js: the shipped runtime has no compiler>,
//   runtime_files: [path]: the shipped runtime's files in load order (local_helpers.cjs reads which helpers are
//                          stable in them),
//   stdlib: <path of brython_stdlib.js: the source of stdlib modules; read here, never shipped>,
//   user_modules: [{name, path, file, is_package, src, out}],   // compile each (src: what to compile, else
//                                                             // the file at path) to `out`
//   stdlib_roots: [name],                                   // stdlib modules the user code imports
//   stdlib_cached: {name: out},                             // already compiled: only their imports are needed
//   stdlib_out_dir: <dir for newly compiled stdlib modules>
// }
// Prints one JSON line: {compiled: [name], stdlib: {name: {out, imports: [name]}}, errors: [{module, file, line, message}]}
// Each output file holds one registration: a literal function, so nothing is evaluated from strings at run time.
'use strict';
const fs = require('fs');
const path = require('path');
const {stableHelpers, withLocalHelpers} = require('./local_helpers.cjs');

const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

// Brython 3.15.0 initialises under Node with these browser-like globals; generated AST constructors and
// helper code refer to a global $B.
globalThis.self = globalThis;
globalThis.addEventListener = function () {};
const $B = require(path.resolve(request.compiler)).__BRYTHON__;
globalThis.$B = $B;
globalThis.__BRYTHON__ = $B;
require(path.resolve(request.stdlib));
// Brython's js_tab option: the spaces per block level of the JS it emits (default 2). Engines read none of it,
// and it was ~9% of every bundle; 0 emits the same statements unindented (the generator puts its indentation only
// at the start of the lines it writes, never inside a string literal).
$B.$options.js_tab = 0;

const jsBuiltins = new Set(Object.keys($B.imported));  // modules brython.js itself provides (browser, javascript, ...)

if (request.list_names) {
  // what an import may resolve to besides the project's own modules
  const vfs = {};
  for (const [name, entry] of Object.entries($B.VFS)) if (name !== '$timestamp') vfs[name] = !!entry[3];
  const version = $B.version_info.slice(0, 5).join('.');
  process.stdout.write(JSON.stringify({stdlib: vfs, js_builtins: [...jsBuiltins], version}) + '\n');
  process.exit(0);
}
const result = {compiled: [], stdlib: {}, errors: []};
const isStable = stableHelpers(request.runtime_files.map((file) => fs.readFileSync(file, 'utf8')));

// A module's body runs when the module is first imported, which for every module a bundle carries is while its
// entry point starts: in parentheses, V8 compiles it with the bundle's script (its "parenthesized function" hint)
// instead of pre-parsing it then and parsing it again, lazily, at the import (measured: README, "ACGR pair").
function registration(name, meta, body) {
  return `__BRYTHON__.aot.register(${JSON.stringify(name)}, ${JSON.stringify(meta)}, (${body}));\n`;
}

function compilePython(name, src, file, isPackage) {
  // the compiler derives the module's scope name from url2name
  $B.url2name[file] = name;
  $B.file_cache[file] = src;
  const root = $B.py2js({src, filename: file, imported: true}, name, name, $B.builtins_scope);
  const js = withLocalHelpers(root.to_js(), name, isStable);
  const localsId = 'locals_' + $B.scope_name(name);
  if (!js.includes(localsId + ' = $B.namespace(')) {
    throw new Error(`unexpected compiled shape for ${name}: no ${localsId}`);
  }
  // The same wrapper Brython's importer builds with new Function(localsId, js), written as a literal function.
  const body = `function (${localsId}) {\nvar $module = (function () {\n${js}\nreturn ${localsId}\n})(__BRYTHON__)\nreturn $module\n}`;
  return registration(name, {kind: 'py', file, is_package: !!isPackage}, body);
}

function compileJsModule(name, src) {
  // A .js stdlib module runs as a sloppy-mode function body, as Brython's run_js does.
  return registration(name, {kind: 'js', file: `VFS.${name}.js`}, `function () {\n${src}\n}`);
}

// Imports that run when a module is imported: module level, including if/try/with/for/while/match and class
// bodies; not function bodies and not `if TYPE_CHECKING:` (or `if False:`) blocks.
function importTimeImports(src, name, isPackage) {
  const tree = $B.pythonToAST(src, name, 'file');
  const A = $B.ast;
  const found = new Set();
  const pkg = isPackage ? name : name.split('.').slice(0, -1).join('.');
  const isTypeCheckingTest = t =>
    (t instanceof A.Name && t.id === 'TYPE_CHECKING') ||
    (t instanceof A.Attribute && t.attr === 'TYPE_CHECKING') ||
    (t instanceof A.Constant && t.value === false);
  function visit(statements) {
    for (const st of statements || []) {
      if (st instanceof A.Import) {
        for (const alias of st.names) found.add(alias.name);
      } else if (st instanceof A.ImportFrom) {
        let base = st.module || '';
        if (st.level > 0) {
          const parts = pkg.split('.');
          for (let i = 1; i < st.level; i++) parts.pop();
          base = [parts.join('.'), base].filter(Boolean).join('.');
        }
        found.add(base);
        for (const alias of st.names) if (alias.name !== '*') found.add(base + '.' + alias.name);
      } else if (st instanceof A.FunctionDef || st instanceof A.AsyncFunctionDef) {
        // runs later, if ever
      } else if (st instanceof A.If) {
        if (!isTypeCheckingTest(st.test)) visit(st.body);
        visit(st.orelse);
      } else {
        for (const key of ['body', 'orelse', 'finalbody']) if (Array.isArray(st[key])) visit(st[key]);
        for (const handler of st.handlers || []) visit(handler.body);
        for (const matchCase of st.cases || []) visit(matchCase.body);
      }
    }
  }
  visit(tree.body);
  return [...found];
}

function errorOf(module, file, err) {
  const line = err && err.args && err.args[1] && err.args[1][1];
  const message = err && err.args && err.args[0] !== undefined ? String(err.args[0]) : String(err && err.message || err);
  return {module, file, line: typeof line === 'number' ? line : null, message};
}

for (const m of request.user_modules) {
  try {
    const src = m.src !== undefined ? m.src : fs.readFileSync(m.path, 'utf8');
    fs.writeFileSync(m.out, compilePython(m.name, src, m.file, m.is_package));
    result.compiled.push(m.name);
  } catch (err) {
    result.errors.push(errorOf(m.name, m.path, err));
  }
}

// Walk the stdlib closure from the roots; a name that is not a module (`from x import attr`) is skipped.
const pending = [...request.stdlib_roots];
const seen = new Set();
while (pending.length) {
  const name = pending.pop();
  if (seen.has(name)) continue;
  seen.add(name);
  if (jsBuiltins.has(name)) continue;  // brython.js's own module wins over the VFS copy at run time
  const entry = $B.VFS[name];
  if (!entry) continue;
  const parts = name.split('.');
  for (let i = 1; i < parts.length; i++) pending.push(parts.slice(0, i).join('.'));
  const [ext, src, , isPackage] = entry;
  let imports = [];
  const cachedOut = request.stdlib_cached[name];
  const out = cachedOut || path.join(request.stdlib_out_dir, name + '.js');
  try {
    if (ext === '.js') {
      if (!cachedOut) fs.writeFileSync(out, compileJsModule(name, src));
    } else {
      const file = 'VFS.' + name + (isPackage ? '/__init__.py' : '.py');
      imports = importTimeImports(src, name, isPackage);
      if (!cachedOut) fs.writeFileSync(out, compilePython(name, src, file, isPackage));
    }
    if (!cachedOut) result.compiled.push(name);
  } catch (err) {
    result.errors.push(errorOf(name, 'VFS.' + name, err));
    continue;
  }
  result.stdlib[name] = {out, imports: imports.filter(i => i in $B.VFS && !jsBuiltins.has(i))};
  for (const dep of imports) pending.push(dep);
}

process.stdout.write(JSON.stringify(result) + '\n');
