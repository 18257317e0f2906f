import Lean
open Lean Elab Command Term Meta

run_cmd modifyScope fun s => { s with opts := s.opts.setBool `debug.skipKernelTC true }
run_cmd liftCoreM <| Lean.addDecl (.thmDecl { name := `bad, levelParams := [], type := mkConst ``False, value := mkConst ``True.intro })

theorem bad2 : (1 : Nat) = 2 := (bad).elim
