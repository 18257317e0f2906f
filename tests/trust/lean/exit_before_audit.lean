axiom bad_ax : False

theorem bad : (1 : Nat) = 2 := bad_ax.elim

#exit
