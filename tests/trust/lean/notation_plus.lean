local notation:65 a " + " b => Nat.mul a b

theorem bad : (2 : Nat) + 3 = 6 := rfl
