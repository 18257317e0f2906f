-- Prints the root-level constant names of Lean's `Init`, one per line: the data behind
-- translators/lean_prelude_names.txt. Run with the installed toolchain, e.g.
--   D=~/.local/share/proofroute/tools/lean-wasm
--   LEAN_WASM_MOUNTS=$D:$PWD $D/lean.sh --run $PWD/translators/lean_prelude_names.lean \
--     | grep '^ROOT ' | cut -c6- | sort -u
-- (hand-written recursion: the WebAssembly build lacks compiled code for some folds)
import Lean
open Lean

partial def names (ns : Array Name) (i : Nat) (acc : List String) : List String :=
  if h : i < ns.size then
    match ns[i] with
    | .str .anonymous s => names ns (i + 1) (s :: acc)
    | _ => names ns (i + 1) acc
  else acc

partial def mods (env : Environment) (i : Nat) (acc : List String) : List String :=
  if h : i < env.header.moduleData.size then
    let m := env.header.moduleNames[i]!
    let acc := if m.getRoot == `Init then names env.header.moduleData[i].constNames 0 acc else acc
    mods env (i + 1) acc
  else acc

partial def pr : List String → IO Unit
  | [] => pure ()
  | s :: r => do IO.println s!"ROOT {s}"; pr r

public def main : IO Unit := do
  initSearchPath "/nonexistent"
  let env ← importModules #[{ module := `Init }] {} (loadExts := true)
  pr (mods env 0 [])
