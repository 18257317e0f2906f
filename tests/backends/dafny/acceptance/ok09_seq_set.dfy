// verdict: VERIFIED
// exit: 0
method Reverse(s: seq<int>) returns (r: seq<int>)
  ensures |r| == |s|
  ensures forall i :: 0 <= i < |s| ==> r[i] == s[|s| - 1 - i]
{
  r := [];
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant |r| == i
    invariant forall k :: 0 <= k < i ==> r[k] == s[i - 1 - k]
  {
    r := [s[i]] + r;
    i := i + 1;
  }
}

method Evens(xs: set<int>) returns (e: set<int>)
  ensures e <= xs
  ensures forall x :: x in e ==> x % 2 == 0
{
  e := set x | x in xs && x % 2 == 0;
}
