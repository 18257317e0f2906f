def alwaysTrue (_ : Nat) : Bool := true

@[implemented_by alwaysTrue] def isZero (n : Nat) : Bool := n == 0

theorem bad : isZero 5 = true := by native_decide
