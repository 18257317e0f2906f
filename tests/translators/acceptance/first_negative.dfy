// Early return from inside a loop.
method FirstNegative(a: array<int>) returns (found: bool, idx: int)
  ensures found ==> 0 <= idx < a.Length && a[idx] < 0 && forall k :: 0 <= k < idx ==> a[k] >= 0
  ensures !found ==> idx == -1 && forall k :: 0 <= k < a.Length ==> a[k] >= 0
{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall k :: 0 <= k < i ==> a[k] >= 0
  {
    if a[i] < 0 {
      return true, i;
    }
    i := i + 1;
  }
  return false, -1;
}
