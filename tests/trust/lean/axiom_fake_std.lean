namespace Std.TrustMe
axiom forged : False
end Std.TrustMe

theorem bad : (1 : Nat) = 2 := Std.TrustMe.forged.elim
