def log2 (n : Nat) : Nat :=
  if h : n < 2 then 0 else 1 + log2 (n / 2)
termination_by n
decreasing_by omega

theorem log2_one : log2 1 = 0 := by simp [log2]
