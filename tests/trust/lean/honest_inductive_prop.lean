inductive Even : Nat → Prop where
  | zero : Even 0
  | step (n : Nat) : Even n → Even (n + 2)

theorem even_four : Even 4 := .step 2 (.step 0 .zero)

theorem not_even_one : ¬ Even 1 := by
  intro h
  cases h
