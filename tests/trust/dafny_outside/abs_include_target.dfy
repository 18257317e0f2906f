// Copied to /tmp/proofroute_trust_abs_include.dfy by the runner (absolute include).
lemma Bad()
  ensures false
