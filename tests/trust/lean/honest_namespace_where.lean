namespace Geometry

def area (w h : Nat) : Nat := go w 0
where
  go : Nat → Nat → Nat
    | 0, acc => acc
    | k + 1, acc => go k (acc + h)

theorem area_zero (h : Nat) : area 0 h = 0 := by simp [area, area.go]

end Geometry
