inductive Bad where
  | mk : (Bad → False) → Bad

theorem bad : False := by
  have h : Bad → False := fun b => match b with | .mk f => f b
  exact h (.mk h)
