function method Clamp(x: int, lo: int, hi: int): int
  requires lo <= hi
  ensures lo <= Clamp(x, lo, hi) <= hi
{
  if x < lo then lo else if x > hi then hi else x
}

method ClampAll(s: seq<int>, lo: int, hi: int) returns (r: seq<int>)
  requires lo <= hi
  ensures |r| == |s|
  ensures forall i :: 0 <= i < |r| ==> lo <= r[i] <= hi
{
  r := [];
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant |r| == i
    invariant forall k :: 0 <= k < i ==> lo <= r[k] <= hi
  {
    r := r + [Clamp(s[i], lo, hi)];
    i := i + 1;
  }
}
