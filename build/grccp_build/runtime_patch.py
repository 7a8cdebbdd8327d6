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

# `x in container`: a built-in container's own membership test, called directly. The general path (kept for every
# other class) looks __contains__ up and calls it through a wrapper that parses its arguments: for a dict, several
# times the cost of the test itself, on every `in` (the background checks a dozen fields per log line with it).
_IS_MEMBER = (
    "$B.$is_member=function(item,_set){var cls=$B.get_class(_set) /* grccp: built-in containers directly */\n"
    "if(cls===_b_.dict){return _b_.dict.$contains(_set,item)}\n"
    "if(cls===_b_.set||cls===_b_.frozenset){return $B.set_has(_set,item)}\n"
    "if(cls===_b_.str){return _b_.str.sq_contains(_set,item)}\n"
    "if(cls===_b_.list||cls===_b_.tuple){for(var elt of _set){if($B.is_or_equals(elt,item)){return true}}\n"
    "return false}\n"
    "var contains=$B.$getattr(cls,'__contains__',$B.NULL)"
)

# A generator's next step as {done, value} (send() made into $B.generator_step by two edits, its two ends): send()
# raises StopIteration from it, and a for loop (or a comprehension, tuple(), all(), ...) over a generator takes its
# items from it directly, instead of through __next__, which raises a StopIteration (an exception object made and
# thrown) at the end of every loop. A StopIteration escaping the generator's body still ends the loop, as on the
# general path.
_SEND_START = ("generator_funcs.send=function(self,value){\nvar gen=self.js_gen\ngen.$has_run=true\n"
               "if(gen.$finished){$B.RAISE(_b_.StopIteration,value)}")
_STEP_START = ("$B.generator_step=function(self,value){ /* grccp: send() as a step; for loops take steps */\n"
               "var gen=self.js_gen\ngen.$has_run=true\nif(gen.$finished){return{done:true,value}}")
_SEND_END = ("gen.$finished=true\n$B.RAISE(_b_.StopIteration,res.value.value)}\ngen.gi_running=false\n"
             "if(res.done){$B.RAISE(_b_.StopIteration,res.value)}\nreturn res.value}\n")
_STEP_END = (
    "gen.$finished=true\nreturn{done:true,value:res.value.value}}\ngen.gi_running=false\n"
    "return{done:res.done,value:res.value}}\n"
    "generator_funcs.send=function(self,value){var step=$B.generator_step(self,value)\n"
    "if(step.done){$B.RAISE(_b_.StopIteration,step.value)}\n"
    "return step.value}\n"
    "$B.generator[$B.FAST_ITER]=function(self,set_lineno,frame,lineno){return{\n"
    "[Symbol.iterator](){return this},next(){set_lineno(frame,lineno)\n"
    "try{var step=$B.generator_step(self,_b_.None)}catch(err){\n"
    "if($B.is_exc(err,[_b_.StopIteration])){return{done:true,value:null}}\n"
    "throw err}\n"
    "return step.done?{done:true,value:null}:step}}}\n"
)

# A built-in iterator's next item as {done, value} for loops (a for loop, a comprehension, tuple(), unpacking, ...):
# the iterator classes whose items come from a JS generator (tp_iternext: zip, enumerate, map, the dict, set and str
# iterators, ...) get their __next__ made from it (make_next), which raises a StopIteration, an exception object
# made and thrown, at the end of every loop. The loop now steps tp_iternext as __next__ does and ends when it is
# done; a StopIteration raised inside it still ends the loop, and any other exception is raised as on the general
# path. Two edits: __next__ says which class's tp_iternext it steps, and the loop looks for that.
_NEXT_MADE = ("function make_next(cls){var next_func=function(obj){var itn=cls.tp_iternext(obj)\nvar res=itn.next()\n"
              "if(res.done){$B.RAISE(_b_.StopIteration,res.value)}\nreturn res.value}\nnext_func.ob_type=$B.function")
_NEXT_MADE_MARKED = _NEXT_MADE + "\nnext_func.$steps=cls /* grccp: loops step tp_iternext directly */"
_LOOP_NEXT = ("var next_func=$B.$getattr($B.get_class(it),'__next__',null)\n"
              "if(test){console.log('next_func',next_func)}\nif(next_func !==null){return{")
_LOOP_STEPS = (
    "var next_func=$B.$getattr($B.get_class(it),'__next__',null)\n"
    "if(next_func !==null && next_func.$steps){var stepped=next_func.$steps /* grccp: no StopIteration to end */\n"
    "return{\n[Symbol.iterator](){return this},next(){set_lineno(frame,lineno)\n"
    "try{var res=stepped.tp_iternext(it).next()}catch(err){\n"
    "if($B.is_exc(err,[_b_.StopIteration])){return{done:true,value:null}}\n"
    "if(iterator[$B.INUM]){$B.set_inum(iterator[$B.INUM])}\nthrow err}\n"
    "return res.done?{done:true,value:null}:{done:false,value:res.value}}}}\n"
    "if(next_func !==null){return{")

# The time zone's name (time.struct_time.tm_zone, the only reader) made when first read, not at every start:
# two Intl.DateTimeFormat made and used, ~5 ms of the runtime's ~40 ms start under Node. Two edits, its two ends.
# Not enumerable until made: the runtime's start reads every enumerable property of $B (looking for arrays).
_TZ_NAME_START = "var date=new Date()\nvar formatter=new Intl.DateTimeFormat("
_TZ_NAME_GETTER = ("Object.defineProperty($B,'tz_name',{configurable:true,enumerable:false,get(){ "
                   "/* grccp: made when first read */\n" + _TZ_NAME_START)
_TZ_NAME_END = "$B.tz_name=long.substr(ix).trim()"
_TZ_NAME_KEPT = ("var tz_name=long.substr(ix).trim()\n"
                 "Object.defineProperty($B,'tz_name',{value:tz_name,writable:true,configurable:true,enumerable:true})\n"
                 "return tz_name}})")

# A type's slot wrappers (finalize_type, for each of the ~240 built-in types at every start) made from the slots the
# type has. The stock loop asks every type for each of the ~70 slot names in turn: every type object has a shape
# of its own, so nearly all of those ~17,000 lookups miss V8's inline caches (the hottest lines of the loop in a
# Chromium profile of the content script's start). Measured in an extension page of a quiet Chromium: the loop
# over the types 9.7 -> 5.6 ms, the runtime's whole evaluation 18.7 -> 14.4 ms (67 -> 56 ms in a fresh browser's
# first page). The same wrappers, in the same order (the slots' rank); the seven slots a type without its own
# inherits are looked up as before, in the same order. Two edits: the slots' ranks made once, then the loop.
_FINALIZE_START = "$B.finalize_type=function(cls){cls.tp_mro=$B.make_mro(cls)"
_SLOT_RANKS = ("var wrapper_slots=Object.keys($B.wrapper_methods) /* grccp: finalize_type's slots by rank */\n"
               "var wrapper_rank=new Map(wrapper_slots.map(function(slot,rank){return[slot,rank]}))\n"
               "var inherited_slots=wrapper_slots.filter(function(slot){return['tp_descr_get','tp_descr_set',"
               "'tp_iter','tp_call','tp_new','tp_init','tp_setattro'].includes(slot)})\n" + _FINALIZE_START)
_SLOTS_ASKED = ("for(var slot in $B.wrapper_methods){if(cls[slot]){$B.wrapper_methods[slot](cls,slot)}else if("
                "['tp_descr_get','tp_descr_set','tp_iter','tp_call','tp_new','tp_init','tp_setattro'].includes(slot)){"
                "cls[slot]=$B.NULL\nif(cls.tp_mro){for(var kls of cls.tp_mro.slice(1)){if(Object.hasOwn(kls,slot)){"
                "cls[slot]=kls[slot]\nbreak}}}}}")
_SLOTS_OWN = ("var ranks=[],entries=Object.entries(cls) /* grccp: the slots the type has */\n"
              "for(var i=0;i < entries.length;i++){var rank=wrapper_rank.get(entries[i][0])\n"
              "if(rank!==undefined && entries[i][1]){ranks.push(rank)}}\n"
              "ranks.sort(function(a,b){return a-b})\n"
              "for(var i=0;i < ranks.length;i++){var slot=wrapper_slots[ranks[i]]\n"
              "$B.wrapper_methods[slot](cls,slot)}\n"
              "for(var i=0;i < inherited_slots.length;i++){var slot=inherited_slots[i]\n"
              "if(!cls[slot]){cls[slot]=$B.NULL\nvar mro=cls.tp_mro\n"
              "if(mro){for(var j=1;j < mro.length;j++){if(Object.hasOwn(mro[j],slot)){cls[slot]=mro[j][slot]\n"
              "break}}}}}")

# The built-in functions named (set_func_names: every method of every built-in class and of its tp_funcs, at every
# start): the stock code walks each class with for-in and reads each property back by name, and every class has a
# shape of its own (V8's inline caches miss, as in finalize_type's loop), then fills each function's infos from an
# object made for the purpose, walked with for-in again. Here the properties come with their values, and the
# infos are written in place, in the same order; an object whose prototype is neither Object.prototype nor null
# (whose for-in could see inherited properties) is walked as before. Measured in an extension page of a quiet
# Chromium: ~8.5 ms of the runtime's start in set_func_names.
_NAMES_WALKED = ("$B.set_func_names=function(klass,module){for(var attr in klass){if(typeof klass[attr]=='function'){"
                 "$B.add_function_infos(klass,attr,module)}}\n"
                 "if($B.get_dict && $B.get_dict(klass)){$B.set_to_dict(klass,'__module__',module)}\n"
                 "if(klass.tp_funcs){for(var attr in klass.tp_funcs){if(typeof klass.tp_funcs[attr]=='function'){"
                 "$B.add_function_infos(klass.tp_funcs,attr,module,(klass.tp_name ||'')+'.'+attr)}}}}\n"
                 "$B.add_function_infos=function(klass,attr,module,qualname){module=module ?? klass.__module__\n"
                 "qualname=qualname ?? module+'.'+attr\n"
                 "$B.set_function_infos(klass[attr],{__doc__:klass[attr].__doc__ ||'',__module__:module,__name__:attr,"
                 "__qualname__ :qualname,__defaults__:[],__kwdefaults__:{}}\n)}")
_NAMES_ENTRIES = ("$B.set_func_names=function(klass,module){name_functions(klass,module,undefined) /* grccp */\n"
                  "if($B.get_dict && $B.get_dict(klass)){$B.set_to_dict(klass,'__module__',module)}\n"
                  "if(klass.tp_funcs){name_functions(klass.tp_funcs,module,(klass.tp_name ||'')+'.')}}\n"
                  "function name_functions(holder,module,prefix){var proto=Object.getPrototypeOf(holder)\n"
                  "if(proto!==Object.prototype && proto!==null){for(var attr in holder){if(typeof holder[attr]=="
                  "'function'){$B.add_function_infos(holder,attr,module,"
                  "prefix===undefined ? undefined : prefix+attr)}}\n"
                  "return}\n"
                  "var entries=Object.entries(holder)\n"
                  "for(var i=0;i < entries.length;i++){var attr=entries[i][0],value=entries[i][1]\n"
                  "if(typeof value=='function'){function_infos(value,attr,module ?? holder.__module__,"
                  "prefix===undefined ? undefined : prefix+attr)}}}\n"
                  "$B.add_function_infos=function(klass,attr,module,qualname){"
                  "function_infos(klass[attr],attr,module ?? klass.__module__,qualname)}\n"
                  "function function_infos(f,attr,module,qualname){var index=$B.func_attrs\n"
                  "var infos=f.$function_infos=f.$function_infos ??[]\n"
                  "infos[index.__doc__]=f.__doc__ ||''\ninfos[index.__module__]=module\ninfos[index.__name__]=attr\n"
                  "infos[index.__qualname__]=qualname ?? module+'.'+attr\ninfos[index.__defaults__]=[]\n"
                  "infos[index.__kwdefaults__]={}}")

# A class's MRO when it has one base (every built-in type but a few, and most classes): the class, then its base's
# MRO (object last), which is what the C3 merge gives for one base; the merge made its working lists (copies,
# slices and filtered copies of every sequence, at each step) for each of the ~240 types at every start and for
# every class a module defines. More than one base, or a base without an MRO list, takes the merge as before.
_MRO_START = ("if(cls===undefined){$B.RAISE(_b_.TypeError,'unbound method type.mro() needs an argument')}\n"
              "var bases=cls.tp_bases,seqs=[],pos1=0\n")
_MRO_ONE_BASE = (_MRO_START + "if(bases.length==1 && bases[0]!==undefined && Array.isArray(bases[0].tp_mro)){"
                 "/* grccp: one base */\nvar base=bases[0],inherited=base.tp_mro,mro=[cls,base]\n"
                 "for(var k=inherited[0]===base ? 1 : 0;k < inherited.length;k++){mro.push(inherited[k])}\n"
                 "if(mro[mro.length-1]!==_b_.object){mro.push(_b_.object)}\nreturn mro}\n")

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
    ("speed: `in` on a built-in container tests membership directly",
     "$B.$is_member=function(item,_set){var contains=$B.$getattr($B.get_class(_set),'__contains__',$B.NULL)",
     _IS_MEMBER),
    ("speed: a generator's send() is a step that says it is done (start)", _SEND_START, _STEP_START),
    ("speed: a loop over a generator ends without a StopIteration raised and caught (end)", _SEND_END, _STEP_END),
    ("speed: a built-in iterator's __next__ says which tp_iternext it steps", _NEXT_MADE, _NEXT_MADE_MARKED),
    ("speed: a loop over a built-in iterator ends without a StopIteration raised and caught", _LOOP_NEXT,
     _LOOP_STEPS),
    ("speed: isinstance() with a class whose metaclass is type itself answers from the MRO: type's own "
     "__instancecheck__ (looked up otherwise, for every False answer) says no more",
     "if(mro){for(var i=0;i < mro.length;i++){if(mro[i]===cls){return true}}}\nvar instancecheck=",
     "if(mro){for(var i=0;i < mro.length;i++){if(mro[i]===cls){return true}}}\n"
     "if(klass===_b_.type){return false} /* grccp: type's own __instancecheck__ */\nvar instancecheck="),
    ("speed: the time zone's name is made when first read (start)", _TZ_NAME_START, _TZ_NAME_GETTER),
    ("speed: the time zone's name is made when first read (end)", _TZ_NAME_END, _TZ_NAME_KEPT),
    ("speed: a type's slot wrappers are made from the slots it has (their ranks, once)", _FINALIZE_START, _SLOT_RANKS),
    ("speed: a type's slot wrappers are made from the slots it has (the loop)", _SLOTS_ASKED, _SLOTS_OWN),
    ("speed: the built-in functions are named from their holders' entries, their infos written in place",
     _NAMES_WALKED, _NAMES_ENTRIES),
    ("speed: a class with one base has its base's MRO after it, without the C3 merge's lists", _MRO_START,
     _MRO_ONE_BASE),
)


def patch_runtime(source, edits=EDITS):
    """Applies every edit (or those given) to the pinned runtime's text; raises BuildError naming an edit that does
    not match exactly once."""
    for why, old, new in edits:
        count = source.count(old)
        if count != 1:
            raise BuildError(f"runtime edit ({why}) expected exactly 1 occurrence of {old!r} in brython.js, "
                             f"found {count}: the pinned runtime changed")
        source = source.replace(old, new)
    return source
