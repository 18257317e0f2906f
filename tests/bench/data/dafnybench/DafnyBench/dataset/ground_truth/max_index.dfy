method MaxIndex(a: array<int>) returns (m: int)
  requires a.Length > 0
  ensures 0 <= m < a.Length
  ensures forall k :: 0 <= k < a.Length ==> a[k] <= a[m]
{
  m := 0;
  var i := 1;
  while i < a.Length
    invariant 1 <= i <= a.Length
    invariant 0 <= m < a.Length
    invariant forall k :: 0 <= k < i ==> a[k] <= a[m]
  {
    if a[i] > a[m] { m := i; }
    i := i + 1;
  }
}
