import Lean
open Lean Elab Command Term Meta

set_option debug.skipKernelTC true in
run_cmd liftCoreM <| addDecl (.thmDecl { name := `bad, levelParams := [], type := mkConst ``False, value := mkConst ``True.intro })

theorem bad2 : (1 : Nat) = 2 := (bad).elim
