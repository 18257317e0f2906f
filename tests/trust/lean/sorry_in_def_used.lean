def magic : (1 : Nat) = 2 := sorry

theorem bad : (1 : Nat) = 2 := magic
