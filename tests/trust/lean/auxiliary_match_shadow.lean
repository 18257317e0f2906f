def foo.match_1 : Nat := 0

def foo (n : Nat) : Nat := match n with
  | 0 => 1
  | _ => 2

axiom bad_ax : False
theorem t : foo 0 = 1 := bad_ax.elim
