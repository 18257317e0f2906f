class Trusted (p : Prop) where
  proof : p

axiom trustAll (p : Prop) : Trusted p

instance (p : Prop) : Trusted p := trustAll p

theorem bad : (1 : Nat) = 2 := Trusted.proof
