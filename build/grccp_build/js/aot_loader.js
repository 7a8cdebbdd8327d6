// The import hook for ahead-of-time compiled Python. Load it after the runtime and before any bundle.
// Bundles register each module as a real function; a meta-path finder built with Brython's own type machinery
// serves exactly those modules. No other finder is consulted: a module that was not compiled in is a
// ModuleNotFoundError, never a network fetch and never a string evaluated at run time.
(function ($B) {
  'use strict';
  var _b_ = $B.builtins;
  var RUNTIME_VERSION = $B.version_info.slice(0, 5).join('.');
  var registry = Object.create(null);
  // sys reads this at import time; the full list ships only with brython_stdlib.js, which is never shipped.
  $B.stdlib_module_names = $B.stdlib_module_names || [];

  function checkVersion(compiledWith) {
    if (compiledWith !== RUNTIME_VERSION) {
      throw new Error('Python bundle compiled for Brython ' + compiledWith + ', runtime is ' + RUNTIME_VERSION);
    }
  }

  function register(name, meta, body) {
    registry[name] = {body: body, kind: meta.kind, file: meta.file, isPackage: !!meta.is_package};
  }

  function parentName(name) {
    return name.split('.').slice(0, -1).join('.');
  }

  // Runs a JS-implemented stdlib module: it installs itself in $B.imported[name] and may leak globals,
  // which belong to the module, as with Brython's own loader.
  function execJsModule(name, entry) {
    var before = new Set(Object.keys(globalThis));
    try { entry.body(); } catch (err) { throw $B.exception(err); }
    var module = $B.imported[name];
    if (module === undefined) { $B.RAISE(_b_.ImportError, 'JS module ' + name + ' did not register itself'); }
    module.ob_type = $B.module;
    $B.module_setattr(module, '__name__', name);
    for (var key of Object.keys(globalThis)) {
      if (!before.has(key)) { module[key] = globalThis[key]; delete globalThis[key]; }
    }
  }

  var Loader = $B.make_type('AOTLoader');
  Loader.$factory = function () { return {ob_type: Loader}; };
  Loader.tp_funcs = {
    create_module: function () { return _b_.None; },
    exec_module: function (self, module) {
      var name = $B.module_getattr(module, '__name__');
      var entry = registry[name];
      module.$is_package = entry.isPackage;
      $B.module_setattr(module, '__file__', entry.file);
      $B.url2name[entry.file] = name;
      if (entry.kind === 'js') {
        execJsModule(name, entry);
        return _b_.None;
      }
      var namespace = entry.body(module);
      for (var attr in namespace) { $B.module_setattr(module, attr, namespace[attr]); }
      $B.module_setattr(module, '__initializing__', false);
      return _b_.None;
    }
  };
  Loader.tp_methods = ['create_module', 'exec_module'];
  $B.set_func_names(Loader, '<aot>');
  $B.finalize_type(Loader);

  var Finder = $B.make_type('AOTFinder');
  Finder.$factory = function () { return {ob_type: Finder}; };
  Finder.tp_funcs = {
    find_spec: function (cls, fullname) {
      var entry = registry[fullname];
      if (entry === undefined) { return _b_.None; }
      return $B.ModuleSpec.$factory({
        name: fullname, loader: Loader.$factory(), origin: 'aot', cached: _b_.None, has_location: _b_.False,
        submodule_search_locations: entry.isPackage ? $B.$list([]) : _b_.None,
        loader_state: {entry: entry}, parent: entry.isPackage ? fullname : parentName(fullname)
      });
    }
  };
  Finder.classmethods = ['find_spec'];
  $B.set_func_names(Finder, '<aot>');
  $B.finalize_type(Finder);

  // Every import context gets this finder alone (no path hooks, so no XHR to Lib/ or site-packages).
  var makeImportPaths = $B.make_import_paths;
  $B.make_import_paths = function (filename) {
    var key = filename === undefined ? '__aot__' : filename;
    makeImportPaths(key);
    var info = $B.import_info[key];
    $B.import_info[filename] = info;
    info.meta_path = [Finder];
    info.path_hooks = [];
  };

  // Runs a compiled module as the program (what brython() does for a script tag), through the import
  // system so that it becomes sys.modules[name].
  function runMain(name) {
    if (!$B.options_parsed) { $B.$options = $B.parse_options({debug: 1}); }
    if (registry[name] === undefined) { throw new Error('no compiled Python module named ' + name); }
    try {
      return $B.$__import__(name, _b_.None, _b_.None, []);
    } catch (err) {
      $B.handle_error($B.exception(err));
      throw err;
    }
  }

  $B.aot = {checkVersion: checkVersion, register: register, runMain: runMain, modules: registry};
})(__BRYTHON__);
