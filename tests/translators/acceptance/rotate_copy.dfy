// Rotate an array left by k using a fresh copy, then write back in place.
method RotateLeft(a: array<int>, k: nat)
  requires a.Length > 0
  modifies a
{
  var n := a.Length;
  var tmp := new int[n];
  var i := 0;
  while i < n
    invariant 0 <= i <= n
  {
    tmp[i] := a[(i + k) % n];
    i := i + 1;
  }
  i := 0;
  while i < n
    invariant 0 <= i <= n
  {
    a[i] := tmp[i];
    i := i + 1;
  }
}
