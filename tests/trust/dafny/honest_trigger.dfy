predicate P(i: int) { i >= 0 }

lemma AllPos(s: seq<int>)
  requires forall i {:trigger s[i]} :: 0 <= i < |s| ==> P(s[i])
  ensures forall j :: 0 <= j < |s| ==> s[j] >= 0
{
}
