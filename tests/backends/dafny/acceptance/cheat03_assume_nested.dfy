// verdict: UNKNOWN
// exit: 2
// unsound: 17:9
method Search(a: array<int>, key: int) returns (found: bool)
  ensures !found ==> forall k :: 0 <= k < a.Length ==> a[k] != key
{
  found := false;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
  {
    if a[i] == key { found := true; }
    i := i + 1;
  }
  if !found {
    {
        assume forall k :: 0 <= k < a.Length ==> a[k] != key;
    }
  }
}
