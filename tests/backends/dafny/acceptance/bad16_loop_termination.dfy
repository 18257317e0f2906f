// verdict: REFUTED
// exit: 1
// error: 8:3 termination
method Spin(n: int)
  requires n > 0
{
  var x := n;
  while x > 0
  {
    x := x + 1;
  }
}
