def secret : Nat := by exact sorry

theorem main : secret = secret := rfl
