import Lean
open Lean Elab Command Term Meta

theorem bad : (1 : Nat) = 2 := by
  run_tac do
    liftM (m := Lean.Elab.Tactic.TacticM) (pure ())
    Lean.addDecl (.axiomDecl { name := `forged2, levelParams := [], type := mkConst ``False, isUnsafe := false })
    Lean.Elab.Tactic.closeMainGoal `bad (mkApp2 (mkConst ``False.elim [levelZero]) (← Lean.Elab.Tactic.getMainTarget) (mkConst `forged2))
