method Loop(n: nat) returns (s: int)
  ensures s >= 0
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant s == i
  {
    s := s + 2;
    i := i + 1;
  }
}
