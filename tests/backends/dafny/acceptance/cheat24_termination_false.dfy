// verdict: UNKNOWN
// exit: 2
// unsound: 4:7
trait {:termination false} Loops {
  method Go(n: nat) returns (r: nat)
    ensures r == n + 1
}
// unsound: 5:3
