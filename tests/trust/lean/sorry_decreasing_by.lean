def up (n : Nat) : Nat := up (n + 1) + 1
decreasing_by sorry

theorem up_eq (n : Nat) : up n = up (n + 1) + 1 := by
  rw [up]
