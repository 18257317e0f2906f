function method Evens(s: seq<int>): seq<int>
{
  if |s| == 0 then []
  else if s[0] % 2 == 0 then [s[0]] + Evens(s[1..])
  else Evens(s[1..])
}

predicate method HasDup(s: seq<int>)
{
  exists i, j :: 0 <= i < j < |s| && s[i] == s[j]
}

// Recursive filter; compiled exists over index pairs.
method EvensAndDup(s: seq<int>) returns (e: seq<int>, dup: bool, allPos: bool)
{
  e := Evens(s);
  dup := HasDup(s);
  allPos := forall x :: x in s ==> x > 0;
}
