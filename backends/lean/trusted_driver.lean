-- proofroute trusted checker: decides on what Lean itself parsed and elaborated.
-- Run as `lean --run trusted_driver.lean DIR ALLOWLIST MODULE...`; same file protocol as
-- the first version of this driver (DIR/ready, DIR/req-N -> DIR/resp-N, DIR/stop).
--
-- A request file holds the path of a file to check, or `kinds` and a path on the next line,
-- or `eval`, a nonce, a file and a units file (one per line; see "The `#eval` route" below).
-- A check or `kinds` request may start with a line `budget-ms N`: the driver then sets an
-- `IO.CancelToken` after N ms (a timer task), which the elaborator and the kernel poll;
-- if it was set, the answer ends with `PROOFROUTE-TIMEOUT N` (whatever else it holds is
-- void) and the driver goes on serving. Without that line there is no deadline (as before).
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

/-- One command through the elaborator; its messages are written out at once. `tk?` is the
request's deadline: the elaborator (`Core.checkInterrupted`) and the kernel
(`addDeclCore … cancelTk?`) stop once it is set. An interrupt comes out of the command
elaborator as an exception (the `.error` case below), but code that catches exceptions
could swallow it and leave a declaration missing without a message, so callers decide
on the token itself, never on the messages. -/
def elabOne (h : IO.FS.Handle) (tk? : Option IO.CancelToken) (ictx : Parser.InputContext)
    (cmdPos : String.Pos.Raw) (s : Command.State) (stx : Syntax) : IO Command.State := do
  let ctx : Command.Context :=
    { cmdPos, fileName := ictx.fileName, fileMap := ictx.fileMap, snap? := none, cancelTk? := tk? }
  match ← ((Command.elabCommandTopLevel stx ctx).run { s with messages := {} }).toIO' with
  | .ok (_, s') =>
    emitMessages h s'.messages.toList
    pure s'
  | .error _ => throw (IO.userError "internal error of the elaborator")

/-- Whether the request's deadline has passed (never, without a budget). -/
def expired : Option IO.CancelToken → IO Bool
  | some tk => tk.isSet
  | none => pure false

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
partial def loop (a : Allow) (h : IO.FS.Handle) (tk? : Option IO.CancelToken) (kindsOnly : Bool)
    (ictx : Parser.InputContext) (ps : Parser.ModuleParserState) (s : Command.State) (st : Progress) :
    IO (Command.State × Progress) := do
  if ← expired tk? then return (s, st)  -- the answer is a timeout; the rest is not elaborated
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
    let s' ← elabOne h tk? ictx cmdPos s cmd
    loop a h tk? kindsOnly ictx ps' s' st
  else match firstRefused a cmd with
    | some r => return (s, { st with refused := some r })
    | none =>
      let s' ← elabOne h tk? ictx cmdPos s (exampleAsDef pos.line cmd)
      let added := newNames s.env pos st.owners (nodeNames s'.env.constants.map₂.root [])
      loop a h tk? kindsOnly ictx ps' s' { st with owners := added }

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

def checkFile (a : Allow) (env : Environment) (h : IO.FS.Handle) (tk? : Option IO.CancelToken)
    (kindsOnly : Bool) (path : String) : IO Unit := do
  let input ← IO.FS.readFile path
  let ictx : Parser.InputContext :=
    { inputString := input, fileName := path, fileMap := input.toFileMap, endPos_valid := sorry }
  let (_, parserState, messages) ← Parser.parseHeader ictx
  emitMessages h messages.toList
  let opts := Options.empty.setBool `Elab.async false
  let s := Command.mkState env {} opts
  let s ← match Parser.runParserCategory env `command "noncomputable section" with
    | .ok stx => elabOne h tk? ictx parserState.pos s stx
    | .error e => throw (IO.userError e)
  let (final, st) ← loop a h tk? kindsOnly ictx parserState s {}
  -- interrupted: declarations may be missing, so no audit (the answer is a timeout)
  if ← expired tk? then return
  match st.refused with
  | some (stx, what) =>
    let pos := posOf ictx stx
    emit h s!"refused {pos.line} {pos.column}" what
  | none =>
    if !kindsOnly then
      let own := ownNames st.owners {}
      reportDecls h final.env own st.owners (usedInTheorems final.env st.owners {})

/-! ### The `#eval` route for unit tests (request `eval NONCE MODEL UNITS`)

The model's file is elaborated as in a check but without `noncomputable section`, so its
definitions get compiled code; then each command of the units file, which proofroute
writes from the task's unit text (never the model's file), is run as written
(`/-- info: … -/ #guard_msgs in #eval e`). Model code runs here (that is what `#eval`
does), so this request is only ever sent to a driver in `verifier.sandbox`, and:
- nothing may reach an effect: no constant of the file, and neither a unit's expression
  nor its type, may reach `IO.RealWorld` (every `IO`/`EIO`/`BaseIO` action and Lean's
  meta monads — `#eval` of a `CommandElabM` value would log messages of its choosing —
  are built on it); else no unit is run (`eval-refused`);
- each unit is decided from the messages of the `#guard_msgs` command itself: none means
  it passed; only `#guard_msgs`' own mismatch error (at its keyword) means the value
  differs; any other error (no executable code, an unknown constant, `sorry`) means
  `#eval` could not decide. Output of `dbg_trace`/`panic!` is captured by `#eval` as a
  message of its own beside the value's, so it can only make `#guard_msgs` fail;
- results go out as `unit NONCE …` records on this response file, which model code
  (no `IO`) cannot write. -/

def isTypeFormer : Expr → Bool
  | .forallE _ _ b _ => isTypeFormer b
  | .sort u => !u.isZero
  | _ => false

def pushArr (a : Array Name) (i : Nat) (via : Name) (acc : List (Name × Name)) : List (Name × Name) :=
  if h : i < a.size then pushArr a (i + 1) via ((a[i], via) :: acc) else acc

def pushList (l : List Name) (via : Name) (acc : List (Name × Name)) : List (Name × Name) :=
  match l with
  | [] => acc
  | n :: ns => pushList ns via ((n, via) :: acc)

/-- The first `IO.RealWorld` reachable from `todo` (pairs: a constant, and the file's own
constant or unit that led to it): through every constant's type, the values of the file's
own definitions and of type formers (`CommandElabM` is `EIO` underneath), and the
constructors of inductive types (a field of type `IO Unit`). -/
partial def effectFrom (env : Environment) (own : NameSet) (todo : List (Name × Name))
    (seen : NameSet) : Option (Name × Name) :=
  match todo with
  | [] => none
  | (c, via) :: rest =>
    if seen.contains c then effectFrom env own rest seen
    else if c == ``IO.RealWorld then some (c, via)
    else
      let seen := seen.insert c
      match env.find? c with
      | none => effectFrom env own rest seen
      | some ci =>
        let via := if own.contains c then c else via
        let next := pushArr ci.type.getUsedConstants 0 via rest
        let next := match ci with
          | .defnInfo d =>
            if own.contains c || isTypeFormer d.type then pushArr d.value.getUsedConstants 0 via next else next
          | .opaqueInfo o => if own.contains c then pushArr o.value.getUsedConstants 0 via next else next
          | .inductInfo i => pushList i.ctors via next
          | _ => next
        effectFrom env own next seen

def ownPairs : List (Name × Position) → List (Name × Name) → List (Name × Name)
  | [], acc => acc
  | (n, _) :: rest, acc => ownPairs rest ((n, n) :: acc)

def isError (m : Message) : Bool :=
  match m.severity with
  | .error => true
  | _ => false

def anyError : List Message → Bool
  | [] => false
  | m :: ms => isError m || anyError ms

def joinMessages : List Message → IO String
  | [] => pure ""
  | m :: ms => do
    let text ← m.data.toString
    let rest ← joinMessages ms
    pure (severityStr m.severity ++ ": " ++ text ++ (if rest.isEmpty then "" else "\n---\n" ++ rest))

def countErrorsAt (pos : Position) (atKey : Bool) : List Message → Nat
  | [] => 0
  | m :: ms =>
    let here := m.pos.line == pos.line && m.pos.column == pos.column
    (if isError m && here == atKey then 1 else 0) + countErrorsAt pos atKey ms

/-- The unit's expression when the command is exactly `/-- … -/ #guard_msgs in #eval e`
(no options) and `e` is inside the allowlist; else why not. -/
def unitTerm (a : Allow) (stx : Syntax) : Except String Syntax :=
  if nameStr stx.getKind != "Lean.guardMsgsCmd" then
    .error s!"not a `#guard_msgs in #eval` command (`{nameStr stx.getKind}`)"
  else if stx[0].getNumArgs == 0 then .error "no doc comment"
  else if stx[2].getNumArgs != 0 then .error "`#guard_msgs` with options"
  else if stx[4].getKind != ``Lean.Parser.Command.eval then .error "the command under `#guard_msgs` is not `#eval`"
  else match firstRefused a stx[4][1] with
    | some (_, what) => .error s!"{what} in the unit's expression"
    | none => .ok stx[4][1]

/-- The constants a unit's expression and its type name, elaborated as `#eval` would
(without a command context: `liftTermElabM` has no compiled code in this build). -/
def termConstants (ictx : Parser.InputContext) (s : Command.State) (term : Syntax) :
    IO (Except String (List (Name × Name))) := do
  let (ns, opens, opts) := match s.scopes with
    | scope :: _ => (scope.currNamespace, scope.openDecls, scope.opts)
    | [] => (Name.anonymous, [], Options.empty)
  let coreCtx : Core.Context :=
    { fileName := ictx.fileName, fileMap := ictx.fileMap, currNamespace := ns, openDecls := opens, options := opts }
  let termAct : Term.TermElabM (Array Name × Array Name) := do
    let e ← Term.elabTerm term none
    Term.synthesizeSyntheticMVarsNoPostponing
    let e ← instantiateMVars e
    let ty ← instantiateMVars (← Meta.inferType e)
    pure (e.getUsedConstants, ty.getUsedConstants)
  -- `TermElabM.run'`/`MetaM.run'` have no compiled code here: their readers and states by hand
  let metaAct : Meta.MetaM (Array Name × Array Name) := ((termAct {}).run' {})
  let coreAct : CoreM (Array Name × Array Name) := ((metaAct {}).run' {})
  match ← (coreAct.run coreCtx { env := s.env }).toIO' with
  | .ok ((used, inType), cs) =>
    if anyError cs.messages.toList then pure (.error (← joinMessages cs.messages.toList))
    else pure (.ok (pushArr used 0 `unit (pushArr inType 0 `unit [])))
  | .error _ => pure (.error "the expression does not elaborate")

/-- One unit, decided from the messages of its `#guard_msgs` command. -/
def runUnit (a : Allow) (h : IO.FS.Handle) (nonce : String) (ictx : Parser.InputContext)
    (cmdPos : String.Pos.Raw) (final : Command.State) (own : NameSet) (stx : Syntax) : IO Unit := do
  let pos := posOf ictx stx
  let tag (outcome : String) := s!"unit {nonce} {outcome} {pos.line} {pos.column}"
  match unitTerm a stx with
  | .error why => emit h (tag "refused") why
  | .ok term =>
    match ← termConstants ictx final term with
    | .error why => emit h (tag "no-eval") why
    | .ok start =>
      match effectFrom final.env own start {} with
      | some (root, via) => emit h (tag "refused") s!"the expression reaches `{nameStr root}` through `{nameStr via}`"
      | none =>
        let s' ← ((Command.elabCommandTopLevel stx
          { cmdPos, fileName := ictx.fileName, fileMap := ictx.fileMap, snap? := none, cancelTk? := none }).run
          { final with messages := {} }).toIO'
        match s' with
        | .error _ => emit h (tag "no-eval") "internal error of the elaborator"
        | .ok (_, s') =>
          let ms := s'.messages.toList
          let key := posOf ictx stx[1]
          let text ← joinMessages ms
          if !(anyError ms) then emit h (tag "pass") text
          else if countErrorsAt key true ms == 1 && countErrorsAt key false ms == 0 then emit h (tag "mismatch") text
          else emit h (tag "no-eval") text

partial def unitLoop (a : Allow) (h : IO.FS.Handle) (nonce : String) (ictx : Parser.InputContext)
    (ps : Parser.ModuleParserState) (final : Command.State) (own : NameSet) : IO Unit := do
  let pmctx : Parser.ParserModuleContext := match final.scopes with
    | scope :: _ => { env := final.env, options := scope.opts, currNamespace := scope.currNamespace, openDecls := scope.openDecls }
    | [] => { env := final.env, options := {} }
  let cmdPos := ps.pos
  let (cmd, ps', parseMsgs) := Parser.parseCommand ictx pmctx ps {}
  if anyError parseMsgs.toList then
    let pos := posOf ictx cmd
    emit h s!"unit {nonce} refused {pos.line} {pos.column}" (← joinMessages parseMsgs.toList)
  if Parser.isTerminalCommand cmd then return
  runUnit a h nonce ictx cmdPos final own cmd
  unitLoop a h nonce ictx ps' final own

def evalFile (a : Allow) (env : Environment) (h : IO.FS.Handle) (nonce path unitsPath : String) : IO Unit := do
  let input ← IO.FS.readFile path
  let ictx : Parser.InputContext :=
    { inputString := input, fileName := path, fileMap := input.toFileMap, endPos_valid := sorry }
  let (_, parserState, messages) ← Parser.parseHeader ictx
  emitMessages h messages.toList
  let opts := Options.empty.setBool `Elab.async false
  -- no `noncomputable section`: the definitions are compiled, as `#eval` needs
  let (final, st) ← loop a h none false ictx parserState (Command.mkState env {} opts) {}
  match st.refused with
  | some (stx, what) =>
    let pos := posOf ictx stx
    emit h s!"refused {pos.line} {pos.column}" what
  | none =>
    let own := ownNames st.owners {}
    match effectFrom final.env own (ownPairs st.owners []) {} with
    | some (root, via) => emit h s!"eval-refused {nonce}" s!"{nameStr via}\n{nameStr root}"
    | none =>
      let units ← IO.FS.readFile unitsPath
      let uctx : Parser.InputContext :=
        { inputString := units, fileName := unitsPath, fileMap := units.toFileMap, endPos_valid := sorry }
      unitLoop a h nonce uctx { pos := 0 } final own

/-- Sets `tk` at `deadline` (ms, `IO.monoMsNow`) unless `done` is set first. It polls, so the
task ends soon after its check and holds one of the build's few pool threads no longer
(a `.dedicated` thread costs seconds to start on WebAssembly). -/
partial def timer (tk done : IO.CancelToken) (deadline : Nat) : IO Unit := do
  if ← done.isSet then return
  if (← IO.monoMsNow) ≥ deadline then tk.set
  else
    IO.sleep 20
    timer tk done deadline

/-- Runs `act` under a deadline of `budget?` ms (none: no deadline); true if it was reached.
The timer is stopped and waited for before the token is read, so a set token means the
deadline passed while `act` ran, and an unset one that nothing was interrupted. -/
def withBudget (budget? : Option Nat) (act : Option IO.CancelToken → IO Unit) : IO Bool := do
  match budget? with
  | none => act none; pure false
  | some ms =>
    let tk ← IO.CancelToken.new
    let done ← IO.CancelToken.new
    let deadline := (← IO.monoMsNow) + ms
    let t ← IO.asTask (timer tk done deadline)
    act (some tk)
    done.set
    let _ ← IO.wait t
    tk.isSet

/-- The optional first line `budget-ms N` of a request, and the rest. -/
def splitBudget : List String → Except String (Option Nat × List String)
  | l :: rest =>
    match l.splitOn " " with
    | ["budget-ms", n] =>
      match n.toNat? with
      | some ms => .ok (some ms, rest)
      | none => .error s!"bad budget line `{l}`"
    | _ => .ok (none, l :: rest)
  | [] => .ok (none, [])

def answer (a : Allow) (env : Environment) (h : IO.FS.Handle) (tk? : Option IO.CancelToken) :
    List String → IO Unit
  | "kinds" :: path :: _ => checkFile a env h tk? true path
  | "eval" :: nonce :: path :: units :: _ => evalFile a env h nonce path units  -- no deadline: sandboxed
  | path :: _ => checkFile a env h tk? false path
  | [] => h.putStrLn "PROOFROUTE-FAIL bad request"

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
      match splitBudget lines with
      | .error why => h.putStrLn s!"PROOFROUTE-FAIL {why}"
      | .ok (budget?, rest) =>
        let timedOut ← withBudget budget? fun tk? => do
          try answer a env h tk? rest
          catch e => h.putStrLn s!"PROOFROUTE-FAIL {e}"
        if timedOut then h.putStrLn s!"PROOFROUTE-TIMEOUT {budget?.getD 0}"
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
