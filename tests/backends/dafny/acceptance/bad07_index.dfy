// verdict: REFUTED
// exit: 1
// error: 7:9 index
method Last(a: array<int>) returns (x: int)
  requires a.Length >= 0
{
  x := a[a.Length - 1];
}
