// A loop left with break; the result is read after the loop.
method FirstAbove(s: seq<int>, t: int) returns (pos: int)
  ensures 0 <= pos <= |s|
  ensures pos < |s| ==> s[pos] > t
  ensures forall k :: 0 <= k < pos ==> s[k] <= t
{
  pos := 0;
  while pos < |s|
    invariant 0 <= pos <= |s|
    invariant forall k :: 0 <= k < pos ==> s[k] <= t
  {
    if s[pos] > t {
      break;
    }
    pos := pos + 1;
  }
}
