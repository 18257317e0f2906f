#eval IO.FS.writeFile "/tmp/proofroute_trust_lean_eval.txt" "model code ran"

theorem fine : (1 : Nat) = 1 := rfl
