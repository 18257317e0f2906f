theorem bad : (1 : Nat) = 2 := by
  have h : False := sorry
  exact h.elim
