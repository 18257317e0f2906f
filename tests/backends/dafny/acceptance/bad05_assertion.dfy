// verdict: REFUTED
// exit: 1
// error: 8:12 assertion
method Check(x: int)
  requires x > 10
{
  var y := x - 5;
  assert y > 6;
}
