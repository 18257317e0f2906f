iterator Count(n: nat) yields (x: nat)
  yield ensures x < n
{
  var i := 0;
  while i < n
    invariant i <= n
  {
    x := i;
    yield;
    i := i + 1;
  }
}
