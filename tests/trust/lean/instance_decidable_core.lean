instance (priority := high) myDecEq : DecidableEq Nat := fun a b => decEq a b

theorem fine : (3 : Nat) = 3 := by decide
