"""Derives the CSP-safe runtime from the pinned brython.js by exact text edits.

MV3 forbids string evaluation in every extension context, and a content script's isolated world has no
custom-elements registry; stock brython.js breaks on both while it loads (shared/docs/brython-mv3.md §2).
Each edit must match exactly once: a Brython upgrade that moves the code fails the build here, loudly."""
from .errors import BuildError

# The AST node classes are built with Function(...arg_list, body) at load time; a closure over the field
# specs builds the same constructors (`type*` fields become lists, as in the generated body).
_AST_CONSTRUCTOR = (
    "ast[kl]=(function(specs){return function(){for(var i=0;i<specs.length;i++){"
    "var value=arguments[i];this[specs[i][1]]=specs[i][0].endsWith('*')?$B.$list(value===undefined?[]:value):value}}})"
    "(args.length>0?args.split(',').map(x=>x.trim().split(/\\s+/)):[]) /* grccp: no Function() */"
)

EDITS = (
    ("the runtime runs as a function (python_steps), where its top-level namespace variable is local: the global "
     "one the loader and the bundles name is set explicitly",
     "var __BRYTHON__=globalThis.__BRYTHON__ ||{}", "var __BRYTHON__=globalThis.__BRYTHON__ ||={} /* grccp */"),
    ("feature probe that evals a string (a CSP violation report on every load)",
     'eval("async function* f(){}")', 'void 0 /* grccp: eval probe removed */'),
    ("content scripts: window.customElements is null and read-only in the isolated world",
     "_window.customElements ||={define:()=>{}}",
     "try{_window.customElements ||={define:()=>{}}}catch(e){} /* grccp */"),
    ("never run <script type=text/python> found in a page: extension code must not execute page-supplied Python",
     "if(!($B.isWebWorker ||$B.isNode)){var startup_observer=",
     "if(false /* grccp: no page scripts */){var startup_observer="),
    ("no brython() on DOMContentLoaded and no <brython-options> element (both are for pages that ship Python)",
     "if(!$B.isWebWorker){\npython_scripts=",
     "if(false /* grccp: no page scripts */){\npython_scripts="),
    ("content scripts: customElements is null in the isolated world",
     "var ce=customElements.get(self.tagName.toLowerCase())",
     "var ce=globalThis.customElements?.get(self.tagName.toLowerCase()) /* grccp */"),
    ("AST node constructors built with Function(): fatal under MV3's CSP",
     "ast[kl]=Function(...arg_list,body)", _AST_CONSTRUCTOR),
)


def patch_runtime(source):
    """Applies every edit to the pinned runtime's text; raises BuildError naming an edit that does not match
    exactly once."""
    for why, old, new in EDITS:
        count = source.count(old)
        if count != 1:
            raise BuildError(f"runtime edit ({why}) expected exactly 1 occurrence of {old!r} in brython.js, "
                             f"found {count}: the pinned runtime changed")
        source = source.replace(old, new)
    return source
