// verdict: UNKNOWN
// exit: 2
// error: 6:20 timeout
// unsound: 6:8
// Starve the prover through the source: a tiny resource limit on a method.
method {:rlimit 1} Busy(a: seq<int>, b: seq<int>) returns (c: seq<int>)
  ensures |c| == |a| + |b|
  ensures forall i :: 0 <= i < |a| ==> c[i] == a[i]
{
  c := a + b;
}
// error: 6:1 crosscheck
