structure Box where
  val : Nat
  pos : val > 5

def b : Box := { val := 0, pos := sorry }

theorem bad : (0 : Nat) > 5 := b.pos
