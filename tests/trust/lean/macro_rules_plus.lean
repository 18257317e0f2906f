macro_rules | `($a + $b) => `(Nat.mul $a $b)

theorem bad : (2 : Nat) + 3 = 6 := rfl
