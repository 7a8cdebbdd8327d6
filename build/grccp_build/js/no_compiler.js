
// grccp: Brython's compiler was removed from this runtime at build time (build/grccp_build/runtime_cuts.py).
// Every path into it (exec, eval, compile, importing Python source, <script type="text/python">) starts with
// one of these two, so it raises a Python exception instead of failing on an undefined function.
;(function ($B) {
  'use strict';
  function noCompiler() {
    $B.RAISE($B.builtins.NotImplementedError,
      'this runtime has no Python compiler: code is compiled ahead of time, so exec(), eval(), compile() ' +
      'and importing Python source are unavailable');
  }
  $B.Parser = noCompiler;
  $B._PySymtable_Build = noCompiler;
})(__BRYTHON__);
