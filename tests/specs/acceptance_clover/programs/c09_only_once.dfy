method only_once<T(==)>(a: array<T>, key: T) returns (b: bool)
  ensures (multiset(a[..])[key] == 1) <==> b
{
  var seen := 0;
  var k := 0;
  while k < a.Length
    invariant 0 <= k <= a.Length
    invariant multiset(a[..k])[key] == seen
  {
    assert a[..k + 1] == a[..k] + [a[k]];
    if a[k] == key {
      seen := seen + 1;
    }
    k := k + 1;
  }
  assert a[..k] == a[..];
  b := seen == 1;
}
