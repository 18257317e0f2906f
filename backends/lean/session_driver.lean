-- proofroute warm checker: imports once, then elaborates each requested file against a
-- fresh copy of that environment. Run as `lean --run session_driver.lean DIR MODULE...`.
-- Protocol (files, because piped stdin lines do not reach this WebAssembly build):
--   the driver writes DIR/ready; a request is DIR/req-N holding the path of a file;
--   the answer is written to DIR/resp-N.tmp and renamed to DIR/resp-N when complete:
--     `PROOFROUTE-MSG <severity> <line> <col> <endLine> <endCol> <bytes>` + message text
--     `PROOFROUTE-DONE`
--   DIR/stop ends the loop.
-- Written for the WebAssembly build: no `for` loops or `List.map` and no library helpers
-- that exist only as non-exported compiled code (`mkInputContext`), hence plain recursion.
import Lean
open Lean Elab

def severityStr : MessageSeverity → String
  | .error => "error"
  | .warning => "warning"
  | .information => "information"

def emitMessages (h : IO.FS.Handle) : List Message → IO Unit
  | [] => pure ()
  | m :: ms => do
    let text ← m.data.toString
    let endLine := match m.endPos with | some p => toString p.line | none => "-1"
    let endCol := match m.endPos with | some p => toString p.column | none => "-1"
    h.putStrLn s!"PROOFROUTE-MSG {severityStr m.severity} {m.pos.line} {m.pos.column} {endLine} {endCol} {text.utf8ByteSize}"
    h.putStrLn text
    emitMessages h ms

def checkFile (env : Environment) (h : IO.FS.Handle) (path : String) : IO Unit := do
  let input ← IO.FS.readFile path
  let inputCtx : Parser.InputContext :=
    { inputString := input, fileName := path, fileMap := input.toFileMap, endPos_valid := sorry }
  let (_, parserState, messages) ← Parser.parseHeader inputCtx
  let cmdState := Command.mkState env messages {}
  let s ← IO.processCommands inputCtx parserState cmdState
  emitMessages h s.commandState.messages.toList

partial def serve (env : Environment) (dir : String) (n : Nat) : IO Unit := do
  let req := s!"{dir}/req-{n}"
  if !(← System.FilePath.pathExists req) then
    if ← System.FilePath.pathExists s!"{dir}/stop" then return
    IO.sleep 10
    serve env dir n
  else
    let path := (← IO.FS.readFile req).trimRight
    let tmp := s!"{dir}/resp-{n}.tmp"
    IO.FS.withFile tmp .write fun h => do
      try checkFile env h path
      catch e => h.putStrLn s!"PROOFROUTE-FAIL {e}"
      h.putStrLn "PROOFROUTE-DONE"
    IO.FS.rename tmp s!"{dir}/resp-{n}"
    serve env dir (n + 1)

def toImports : List String → Array Import → Array Import
  | [], acc => acc
  | s :: rest, acc => toImports rest (acc.push { module := s.toName })

public def main : List String → IO Unit
  | [] => throw (IO.userError "usage: session_driver DIR MODULE...")
  | dir :: modules => do
    initSearchPath "/nonexistent"
    let env ← importModules (toImports modules #[]) {} (loadExts := true)
    let env := env.setMainModule `Proof
    IO.FS.writeFile s!"{dir}/ready" "ready\n"
    serve env dir 0
