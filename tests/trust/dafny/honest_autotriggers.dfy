lemma {:autotriggers false} L(s: seq<int>)
  requires forall i {:trigger s[i]} :: 0 <= i < |s| ==> s[i] > 0
  ensures forall i {:trigger s[i]} :: 0 <= i < |s| ==> s[i] >= 0
{
}
