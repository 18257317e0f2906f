partial def loop (n : Nat) : Nat := loop (n + 1)

theorem fine : (1 : Nat) = 1 := rfl
