method RotateLeft(a: array<int>)
  requires a.Length > 0
  modifies a
  ensures forall i :: 0 <= i < a.Length ==> a[i] == old(a[(i + 1) % a.Length])
{
  var copy := a[..];
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall k :: 0 <= k < i ==> a[k] == copy[(k + 1) % a.Length]
    invariant forall k :: i <= k < a.Length ==> a[k] == copy[k]
  {
    a[i] := copy[(i + 1) % a.Length];
    i := i + 1;
  }
}
