import Lean
open Lean Elab Command Term Meta

elab "forge_false" : command => liftCoreM <| addDecl (.axiomDecl { name := `forged3, levelParams := [], type := mkConst ``False, isUnsafe := false })

forge_false

theorem bad : (1 : Nat) = 2 := (forged3).elim
