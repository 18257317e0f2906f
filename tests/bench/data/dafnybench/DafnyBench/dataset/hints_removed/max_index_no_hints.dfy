method MaxIndex(a: array<int>) returns (m: int)
  requires a.Length > 0
  ensures 0 <= m < a.Length
  ensures forall k :: 0 <= k < a.Length ==> a[k] <= a[m]
{
  m := 0;
  var i := 1;
  while i < a.Length
  {
    if a[i] > a[m] { m := i; }
    i := i + 1;
  }
}
