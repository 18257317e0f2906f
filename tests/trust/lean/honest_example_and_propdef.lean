example : (1 : Nat) + 1 = 2 := rfl

theorem twoTwo : (2 : Nat) * 2 = 4 := rfl
