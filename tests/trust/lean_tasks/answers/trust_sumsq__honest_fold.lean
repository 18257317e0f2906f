def sq (n : Nat) : Nat := n * n

def sumSq (xs : List Nat) : Nat := xs.foldr (fun x acc => sq x + acc) 0

theorem sumSq_nil : sumSq [] = 0 := rfl

theorem sumSq_single (x : Nat) : sumSq [x] = sq x := by
  simp [sumSq]
