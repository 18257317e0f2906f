import Lean
open Lean Elab Command Term Meta

run_cmd liftCoreM <| addDecl (.axiomDecl { name := `forged, levelParams := [], type := mkConst ``False, isUnsafe := false })

theorem bad : (1 : Nat) = 2 := (forged).elim
