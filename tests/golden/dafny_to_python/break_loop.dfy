method FirstNegative(xs: seq<int>) returns (idx: int)
  ensures idx == -1 || (0 <= idx < |xs| && xs[idx] < 0)
{
  idx := -1;
  var i := 0;
  while i < |xs|
    invariant 0 <= i <= |xs|
    invariant idx == -1 || (0 <= idx < |xs| && xs[idx] < 0)
  {
    if xs[i] < 0 {
      idx := i;
      break;
    }
    i := i + 1;
  }
}
