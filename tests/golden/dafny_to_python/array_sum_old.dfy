method DoubleAll(a: array<int>) returns (total: int)
  modifies a
  ensures forall i :: 0 <= i < a.Length ==> a[i] == 2 * old(a[i])
{
  var i := 0;
  total := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall k :: 0 <= k < i ==> a[k] == 2 * old(a[k])
    invariant forall k :: i <= k < a.Length ==> a[k] == old(a[k])
  {
    a[i] := 2 * a[i];
    total := total + a[i];
    i := i + 1;
  }
}
