-- expected: verified
def mirror (l : List Nat) : List Nat := l.reverse ++ l

theorem mirror_length (l : List Nat) : (mirror l).length = 2 * l.length := by
  simp [mirror]; omega

theorem append_nil' (l : List Nat) : l ++ [] = l := by simp
