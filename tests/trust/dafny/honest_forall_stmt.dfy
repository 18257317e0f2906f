lemma Doubles(s: seq<int>)
  ensures forall i :: 0 <= i < |s| ==> 2 * s[i] == s[i] + s[i]
{
  forall i | 0 <= i < |s|
    ensures 2 * s[i] == s[i] + s[i]
  {
  }
}
