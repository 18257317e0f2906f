def impl2 (_ : Nat) : Nat := 9

@[implemented_by impl2] def impl1 (n : Nat) : Nat := n

@[implemented_by impl1] def f (n : Nat) : Nat := n

theorem bad : f 1 = 9 := by native_decide
