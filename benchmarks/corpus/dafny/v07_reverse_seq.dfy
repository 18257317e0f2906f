function Reverse(s: seq<int>): seq<int>
{
  if |s| == 0 then [] else Reverse(s[1..]) + [s[0]]
}

lemma ReverseLength(s: seq<int>)
  ensures |Reverse(s)| == |s|
{
}

method ReverseArray(a: array<int>)
  modifies a
  ensures forall i :: 0 <= i < a.Length ==> a[i] == old(a[a.Length - 1 - i])
{
  var i, j := 0, a.Length - 1;
  while i < j
    invariant 0 <= i <= j + 1 <= a.Length
    invariant i + j == a.Length - 1
    invariant forall k :: 0 <= k < i ==> a[k] == old(a[a.Length - 1 - k])
    invariant forall k :: j < k < a.Length ==> a[k] == old(a[a.Length - 1 - k])
    invariant forall k :: i <= k <= j ==> a[k] == old(a[k])
  {
    a[i], a[j] := a[j], a[i];
    i, j := i + 1, j - 1;
  }
}
