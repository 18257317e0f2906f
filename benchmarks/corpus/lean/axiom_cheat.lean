-- expected: unknown
axiom cheat : ∀ n : Nat, n = n + 1
theorem uses_cheat : (0 : Nat) = 1 := cheat 0
