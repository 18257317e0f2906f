def sq (n : Nat) : Nat := n * n

def sumSq : List Nat → Nat
  | [] => 0
  | x :: xs => sq x + sumSq xs

theorem sumSq_nil : sumSq [] = 0 := rfl

theorem sumSq_single (x : Nat) : sumSq [x] = sq x := by
  simp [sumSq]
