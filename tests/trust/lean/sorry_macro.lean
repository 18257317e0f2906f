macro "trust_me" : tactic => `(tactic| sorry)

theorem bad : (1 : Nat) = 2 := by
  trust_me
