theorem rev_len (xs : List Nat) : xs.reverse.length = xs.length := by
  simp

theorem map_id' (xs : List Nat) : xs.map (fun x => x) = xs := by
  induction xs with
  | nil => rfl
  | cons x xs ih => simp
