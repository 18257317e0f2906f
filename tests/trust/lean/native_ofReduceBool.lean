def two : Bool := (2 : Nat) + 2 == 4

theorem n : two = true := Lean.ofReduceBool two true rfl
