method Check(x: int)
{
  var y := x * x;
  assert y > 0;
}
