structure Point where
  x : Nat
  y : Nat
  deriving Repr, DecidableEq

def Point.swap (p : Point) : Point := { x := p.y, y := p.x }

theorem swap_swap (p : Point) : p.swap.swap = p := by
  cases p
  rfl
