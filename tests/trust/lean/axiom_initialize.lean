import Lean
open Lean Elab Command Term Meta

initialize forgedRef : IO.Ref Nat ← IO.mkRef 0

theorem fine : (1 : Nat) + 1 = 2 := rfl
