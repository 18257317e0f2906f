namespace Evil.Classical
axiom choice : False
end Evil.Classical

theorem bad : (1 : Nat) = 2 := Evil.Classical.choice.elim
