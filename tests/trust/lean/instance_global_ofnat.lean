instance (priority := high) : OfNat Nat 2 := ⟨5⟩

theorem bad : (2 : Nat) = 5 := rfl
