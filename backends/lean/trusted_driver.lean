-- proofroute trusted checker: decides on what Lean itself parsed and elaborated.
-- Run as `lean --run trusted_driver.lean DIR ALLOWLIST MODULE...`; same file protocol as
-- the first version of this driver (DIR/ready, DIR/req-N -> DIR/resp-N, DIR/stop).
--
-- A request file holds the path of a file to check, or `kinds` and a path on the next line.
-- A check parses the file one command at a time with Lean's own parser and refuses, before
-- it is elaborated, any command whose syntax tree holds a node kind, attribute or option
-- outside the allowlist (a data file: `kind NAME`, `attr NAME`, `option NAME` lines).
-- Allowlisted syntax runs only Lean's own elaborators, so no model code runs here and
-- nothing the model writes can reach the records below. An `example` is elaborated as a
-- `def` so that what it depends on can be audited. After the last command it reports, per
-- declaration of the file: the axioms reached (`collectAxioms`' leaves, marked as the
-- file's own or the library's), library names shadowed in a theorem's statement,
-- instances of library classes on library types, theorems whose statement names a constant
-- Lean generated (`f.match_1`), and the statement with binder names erased.
-- `kinds` reports the node kinds, attributes and options of each command (to build the
-- allowlist from honest proofs). Output records: `PROOFROUTE-REC <tag> <bytes>` + text.
import Lean
open Lean Elab

/-- Names as the allowlist file spells them (compared as text, as `String.toName` would
not read kinds such as `term_+_` back). -/
structure Allow where
  kinds : List String := []
  attrs : List String := []
  options : List String := []

def memStr (x : String) : List String → Bool
  | [] => false
  | y :: ys => x == y || memStr x ys

/-- `joinStrs`' separator is one space: a kind may end in one (`token.· `). -/
def joinWords : List String → String
  | [] => ""
  | [x] => x
  | x :: xs => x ++ " " ++ joinWords xs

def parseAllow : List String → Allow → Allow
  | [], a => a
  | l :: ls, a =>
    match l.splitOn " " with
    | "kind" :: k => parseAllow ls { a with kinds := joinWords k :: a.kinds }
    | "attr" :: k => parseAllow ls { a with attrs := joinWords k :: a.attrs }
    | "option" :: k => parseAllow ls { a with options := joinWords k :: a.options }
    | _ => parseAllow ls a

/-- `Name.toString` has no compiled code reachable from `lean --run` in the WebAssembly build. -/
def nameStr : Name → String
  | .anonymous => ""
  | .str .anonymous s => s
  | .str p s => nameStr p ++ "." ++ s
  | .num .anonymous k => toString k
  | .num p k => nameStr p ++ "." ++ toString k

def emit (h : IO.FS.Handle) (tag : String) (text : String) : IO Unit := do
  h.putStrLn s!"PROOFROUTE-REC {tag} {text.utf8ByteSize}"
  h.putStrLn text

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

def isSetOption (k : Name) : Bool :=
  k == ``Lean.Parser.Command.set_option || k == ``Lean.Parser.Tactic.set_option || k == ``Lean.Parser.Term.set_option

/-- What in a node the allowlist decides on besides its kind: the attribute name of a
`simple` attribute, the option name of a `set_option`. -/
def detail (stx : Syntax) : Option (String × Name) :=
  let k := stx.getKind
  if k == ``Lean.Parser.Attr.simple then some ("attr", stx[0].getId)
  else if isSetOption k then some ("option", stx[1].getId)
  else none

mutual
/-- The first node outside the allowlist, with what was refused. -/
partial def firstRefused (a : Allow) (stx : Syntax) : Option (Syntax × String) :=
  match stx with
  | .node _ k args =>
    if k != nullKind && !memStr (nameStr k) a.kinds then some (stx, s!"syntax `{nameStr k}`")
    else
      let own := match detail stx with
        | some ("attr", n) => if memStr (nameStr n) a.attrs then none else some (stx, s!"attribute `{nameStr n}`")
        | some (_, n) => if memStr (nameStr n) a.options then none else some (stx, s!"option `{nameStr n}`")
        | none => none
      match own with
      | some r => some r
      | none => firstRefusedIn a args 0
  | _ => none

partial def firstRefusedIn (a : Allow) (args : Array Syntax) (i : Nat) : Option (Syntax × String) :=
  if h : i < args.size then
    match firstRefused a args[i] with
    | some r => some r
    | none => firstRefusedIn a args (i + 1)
  else none
end

mutual
partial def collectKinds (stx : Syntax) (acc : List String) : List String :=
  match stx with
  | .node _ k args =>
    let acc := if k == nullKind then acc else s!"kind {nameStr k}" :: acc
    let acc := match detail stx with
      | some (tag, n) => s!"{tag} {nameStr n}" :: acc
      | none => acc
    collectKindsIn args 0 acc
  | _ => acc

partial def collectKindsIn (args : Array Syntax) (i : Nat) (acc : List String) : List String :=
  if h : i < args.size then collectKindsIn args (i + 1) (collectKinds args[i] acc) else acc
end

def joinLines : List String → String
  | [] => ""
  | [x] => x
  | x :: xs => x ++ "\n" ++ joinLines xs

/-- `example` becomes `def proofroute_example_LINE`, so it is added and can be audited. -/
def exampleAsDef (n : Nat) (stx : Syntax) : Syntax :=
  if stx.getKind == ``Lean.Parser.Command.declaration && stx[1].getKind == ``Lean.Parser.Command.example then
    let ex := stx[1]
    let none_ := SourceInfo.none
    let empty := Syntax.node none_ nullKind #[]
    let id := Syntax.ident none_ "".toRawSubstring (Name.mkSimple s!"proofroute_example_{n}") []
    let declId := Syntax.node none_ ``Lean.Parser.Command.declId #[id, empty]
    let defn := Syntax.node none_ ``Lean.Parser.Command.definition
      #[Syntax.atom none_ "def", declId, ex[1], ex[2], empty]
    stx.setArg 1 defn
  else stx

def posOf (ictx : Parser.InputContext) (stx : Syntax) : Position :=
  ictx.fileMap.toPosition (stx.getPos?.getD 0)

/-- One command through the elaborator; its messages are written out at once. -/
def elabOne (h : IO.FS.Handle) (ictx : Parser.InputContext) (cmdPos : String.Pos.Raw)
    (s : Command.State) (stx : Syntax) : IO Command.State := do
  let ctx : Command.Context :=
    { cmdPos, fileName := ictx.fileName, fileMap := ictx.fileMap, snap? := none, cancelTk? := none }
  match ← ((Command.elabCommandTopLevel stx ctx).run { s with messages := {} }).toIO' with
  | .ok (_, s') =>
    emitMessages h s'.messages.toList
    pure s'
  | .error _ => throw (IO.userError "internal error of the elaborator")

structure Progress where
  refused : Option (Syntax × String) := none
  owners : List (Name × Position) := []

def arrayNames (a : Array Name) (i : Nat) (acc : List Name) : List Name :=
  if h : i < a.size then arrayNames a (i + 1) (a[i] :: acc) else acc

def newNames (before : Environment) (pos : Position) (acc : List (Name × Position)) :
    List Name → List (Name × Position)
  | [] => acc
  | n :: ns => newNames before pos (if before.contains n then acc else (n, pos) :: acc) ns

-- The file's own constants, read off the map's nodes (its folds have no compiled code here).
mutual
partial def nodeNames : PersistentHashMap.Node Name ConstantInfo → List Name → List Name
  | .entries es, acc => entryNames es 0 acc
  | .collision ks _ _, acc => arrayNames ks 0 acc

partial def entryNames (es : Array (PersistentHashMap.Entry Name ConstantInfo (PersistentHashMap.Node Name ConstantInfo)))
    (i : Nat) (acc : List Name) : List Name :=
  if h : i < es.size then
    match es[i] with
    | .entry k _ => entryNames es (i + 1) (k :: acc)
    | .ref n => entryNames es (i + 1) (nodeNames n acc)
    | .null => entryNames es (i + 1) acc
  else acc
end

/-- Parse, check, elaborate, one command at a time; stop at the first refused one. -/
partial def loop (a : Allow) (h : IO.FS.Handle) (kindsOnly : Bool) (ictx : Parser.InputContext)
    (ps : Parser.ModuleParserState) (s : Command.State) (st : Progress) : IO (Command.State × Progress) := do
  let pmctx : Parser.ParserModuleContext := match s.scopes with
    | scope :: _ => { env := s.env, options := scope.opts, currNamespace := scope.currNamespace, openDecls := scope.openDecls }
    | [] => { env := s.env, options := {} }
  let cmdPos := ps.pos
  let (cmd, ps', parseMsgs) := Parser.parseCommand ictx pmctx ps {}
  emitMessages h parseMsgs.toList
  if Parser.isTerminalCommand cmd then return (s, st)
  let pos := posOf ictx cmd
  if kindsOnly then
    emit h s!"kinds {pos.line} {pos.column}" (joinLines (collectKinds cmd []))
    let s' ← elabOne h ictx cmdPos s cmd
    loop a h kindsOnly ictx ps' s' st
  else match firstRefused a cmd with
    | some r => return (s, { st with refused := some r })
    | none =>
      let s' ← elabOne h ictx cmdPos s (exampleAsDef pos.line cmd)
      let added := newNames s.env pos st.owners (nodeNames s'.env.constants.map₂.root [])
      loop a h kindsOnly ictx ps' s' { st with owners := added }

partial def eraseBinders : Expr → Expr
  | .forallE _ t b bi => .forallE `x (eraseBinders t) (eraseBinders b) bi
  | .lam _ t b bi => .lam `x (eraseBinders t) (eraseBinders b) bi
  | .letE _ t v b nd => .letE `x (eraseBinders t) (eraseBinders v) (eraseBinders b) nd
  | .app f x => .app (eraseBinders f) (eraseBinders x)
  | .mdata _ e => eraseBinders e
  | .proj s i e => .proj s i (eraseBinders e)
  | e => e

/-- `A.B.c` without its first component: `B.c`. -/
def dropRoot : Name → Name
  | .str .anonymous _ => .anonymous
  | .str p s => .str (dropRoot p) s
  | .num .anonymous _ => .anonymous
  | .num p k => .num (dropRoot p) k
  | .anonymous => .anonymous

/-- The library constants that `n`'s proper suffixes name (`X.False` -> `False`). -/
partial def shadowed (env : Environment) (n : Name) (acc : List Name) : List Name :=
  let m := dropRoot n
  if m.isAnonymous then acc
  else shadowed env m (if (env.getModuleIdxFor? m).isSome then m :: acc else acc)

def kindOf : ConstantInfo → String
  | .thmInfo _ => "theorem"
  | .defnInfo _ => "def"
  | .axiomInfo _ => "axiom"
  | .opaqueInfo _ => "opaque"
  | .inductInfo _ => "inductive"
  | .ctorInfo _ => "constructor"
  | .recInfo _ => "recursor"
  | .quotInfo _ => "quot"

def joinStrs : List String → String
  | [] => ""
  | [x] => x
  | x :: xs => x ++ " " ++ joinStrs xs

def ownNames : List (Name × Position) → NameSet → NameSet
  | [], acc => acc
  | (n, _) :: rest, acc => ownNames rest (acc.insert n)

/-- `collectAxioms`' leaves, each marked as the file's own (`L:`) or the library's (`I:`).
This build's .olean files leave library proofs out, so library theorems are leaves too;
the verdict trusts the library but for `sorryAx` and the compiler's axioms. -/
def leaves (own : NameSet) (a : Array Name) (i : Nat) (acc : List String) : List String :=
  if h : i < a.size then
    leaves own a (i + 1) (((if own.contains a[i] then "L:" else "I:") ++ nameStr a[i]) :: acc)
  else acc

def firstInternal (a : Array Name) (i : Nat) : Option Name :=
  if h : i < a.size then
    if a[i].isInternalDetail then some a[i] else firstInternal a (i + 1)
  else none

def allImported (env : Environment) (a : Array Name) (i : Nat) : Bool :=
  if h : i < a.size then (env.getModuleIdxFor? a[i]).isSome && allImported env a (i + 1) else true

/-- Axioms a declaration reaches: `collectAxioms` stops at imported theorems (their proofs
are not in this build's .olean files), so keep axioms and what the file itself declares. -/
def axiomsOf (env : Environment) (own : NameSet) (n : Name) : IO (List String) := do
  let ctx : Core.Context := { fileName := "<audit>", fileMap := default }
  match ← (((collectAxioms n : CoreM (Array Name))).run' ctx { env }).toIO' with
  | .ok names => pure (leaves own names 0 [])
  | .error _ => throw (IO.userError s!"the axiom audit failed for {nameStr n}")

def insertAll (a : Array Name) (i : Nat) (acc : NameSet) : NameSet :=
  if h : i < a.size then insertAll a (i + 1) (acc.insert a[i]) else acc

def usedInTheorems (env : Environment) : List (Name × Position) → NameSet → NameSet
  | [], acc => acc
  | (n, _) :: rest, acc =>
    match env.find? n with
    | some (.thmInfo t) => usedInTheorems env rest (insertAll t.type.getUsedConstants 0 acc)
    | _ => usedInTheorems env rest acc

def reportDecls (h : IO.FS.Handle) (env : Environment) (own : NameSet) :
    List (Name × Position) → NameSet → IO Unit
  | [], _ => pure ()
  | (n, pos) :: rest, stated => do
    if let some ci := env.find? n then
      let where_ := s!"{pos.line} {pos.column}"
      let axs ← axiomsOf env own n
      let value := match ci with
        | .defnInfo d => toString (eraseBinders d.value)
        | _ => ""
      emit h s!"decl {kindOf ci} {n.isInternalDetail} {where_}"
        s!"{nameStr n}\n{joinStrs axs}\n{toString (eraseBinders ci.type)}\n{value}"
      if let .thmInfo t := ci then
        if !n.isInternalDetail then
          if let some c := firstInternal t.type.getUsedConstants 0 then
            emit h s!"internal {where_}" s!"{nameStr n}\n{nameStr c}"
      if stated.contains n && !n.isInternalDetail then
        for s in shadowed env n [] do
          emit h s!"shadow {where_}" s!"{nameStr n}\n{nameStr s}"
      if Meta.isInstanceCore env n then
        let body := ci.type.getForallBody
        if allImported env body.getUsedConstants 0 then
          emit h s!"core-instance {where_}" s!"{nameStr n}\n{toString body}"
    reportDecls h env own rest stated

def checkFile (a : Allow) (env : Environment) (h : IO.FS.Handle) (kindsOnly : Bool) (path : String) : IO Unit := do
  let input ← IO.FS.readFile path
  let ictx : Parser.InputContext :=
    { inputString := input, fileName := path, fileMap := input.toFileMap, endPos_valid := sorry }
  let (_, parserState, messages) ← Parser.parseHeader ictx
  emitMessages h messages.toList
  let opts := Options.empty.setBool `Elab.async false
  let s := Command.mkState env {} opts
  let s ← match Parser.runParserCategory env `command "noncomputable section" with
    | .ok stx => elabOne h ictx parserState.pos s stx
    | .error e => throw (IO.userError e)
  let (final, st) ← loop a h kindsOnly ictx parserState s {}
  match st.refused with
  | some (stx, what) =>
    let pos := posOf ictx stx
    emit h s!"refused {pos.line} {pos.column}" what
  | none =>
    if !kindsOnly then
      let own := ownNames st.owners {}
      reportDecls h final.env own st.owners (usedInTheorems final.env st.owners {})

partial def serve (a : Allow) (env : Environment) (dir : String) (n : Nat) : IO Unit := do
  let req := s!"{dir}/req-{n}"
  if !(← System.FilePath.pathExists req) then
    if ← System.FilePath.pathExists s!"{dir}/stop" then return
    IO.sleep 10
    serve a env dir n
  else
    let lines := (← IO.FS.readFile req).splitOn "\n"
    let tmp := s!"{dir}/resp-{n}.tmp"
    IO.FS.withFile tmp .write fun h => do
      try
        match lines with
        | "kinds" :: path :: _ => checkFile a env h true path
        | path :: _ => checkFile a env h false path
        | [] => h.putStrLn "PROOFROUTE-FAIL bad request"
      catch e => h.putStrLn s!"PROOFROUTE-FAIL {e}"
      h.putStrLn "PROOFROUTE-DONE"
    IO.FS.rename tmp s!"{dir}/resp-{n}"
    serve a env dir (n + 1)

def toImports : List String → Array Import → Array Import
  | [], acc => acc
  | s :: rest, acc => toImports rest (acc.push { module := s.toName })

public def main : List String → IO Unit
  | dir :: allowPath :: modules => do
    initSearchPath "/nonexistent"
    let allow := parseAllow ((← IO.FS.readFile allowPath).splitOn "\n") {}
    let env ← importModules (toImports modules #[]) {} (loadExts := true)
    let env := env.setMainModule `Proof
    IO.FS.writeFile s!"{dir}/ready" "ready\n"
    serve allow env dir 0
  | _ => throw (IO.userError "usage: trusted_driver DIR ALLOWLIST MODULE...")
