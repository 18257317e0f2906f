def weirdAdd : Add Nat := ⟨fun _ _ => 7⟩

attribute [local instance high] weirdAdd

theorem bad : (1 : Nat) + 1 = 7 := rfl
