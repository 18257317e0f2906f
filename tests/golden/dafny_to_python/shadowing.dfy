method Shadow(n: nat) returns (r: int)
{
  var x := 1;
  r := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
  {
    var x := i * 2;
    r := r + x;
    i := i + 1;
  }
  r := r + x;
}
