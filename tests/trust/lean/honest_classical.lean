theorem em_use (p : Prop) : p ∨ ¬p := Classical.em p

theorem funext_use (f g : Nat → Nat) (h : ∀ x, f x = g x) : f = g := funext h

theorem propext_use (a b : Prop) (h : a ↔ b) : a = b := propext h
