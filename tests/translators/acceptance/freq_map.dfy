// A frequency map built with m[k := v] and `k in m`.
method Frequencies(s: seq<int>) returns (m: map<int, int>)
  ensures forall k :: k in m ==> m[k] >= 1
  ensures forall x :: x in s ==> x in m
{
  m := map[];
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant forall k :: k in m ==> m[k] >= 1
    invariant forall x :: x in s[..i] ==> x in m
  {
    var x := s[i];
    if x in m {
      m := m[x := m[x] + 1];
    } else {
      m := m[x := 1];
    }
    i := i + 1;
  }
}

method MostFrequent(s: seq<int>) returns (best: int, count: int)
  requires |s| > 0
{
  var m := Frequencies(s);
  best, count := s[0], 0;
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
  {
    if s[i] in m && (m[s[i]] > count || (m[s[i]] == count && s[i] < best)) {
      best, count := s[i], m[s[i]];
    }
    i := i + 1;
  }
}
