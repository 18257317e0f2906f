local instance : Add Nat := ⟨fun _ _ => 0⟩

theorem bad : (1 : Nat) + 1 = 0 := rfl
