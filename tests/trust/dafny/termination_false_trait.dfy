trait {:termination false} T {
  method Loop(n: nat) returns (r: nat)
    ensures r == n + 1
}
