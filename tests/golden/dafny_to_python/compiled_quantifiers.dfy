predicate method AllPositive(s: seq<int>)
{
  forall i :: 0 <= i < |s| ==> s[i] > 0
}

predicate method HasZero(s: seq<int>)
{
  exists i :: 0 <= i < |s| && s[i] == 0
}

predicate method StrictlyIncreasing(s: seq<int>)
{
  forall i, j :: 0 <= i < j < |s| ==> s[i] < s[j]
}

method Classify(s: seq<int>) returns (pos: bool, zero: bool, inc: bool, anyBig: bool)
{
  pos := AllPositive(s);
  zero := HasZero(s);
  inc := StrictlyIncreasing(s);
  anyBig := exists x :: x in s && x > 100;
}
