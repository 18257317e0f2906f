datatype Maybe = Nothing | Just(value: int)

function method OrElse(m: Maybe, d: int): int
{
  match m
  case Nothing => d
  case Just(v) => v
}

// An Option-like datatype returned from a search, consumed with match.
method FindEven(s: seq<int>) returns (r: Maybe)
  ensures r.Just? ==> r.value in s && r.value % 2 == 0
  ensures r.Nothing? ==> forall k :: 0 <= k < |s| ==> s[k] % 2 != 0
{
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant forall k :: 0 <= k < i ==> s[k] % 2 != 0
  {
    if s[i] % 2 == 0 {
      return Just(s[i]);
    }
    i := i + 1;
  }
  return Nothing;
}

method EvenOrDefault(s: seq<int>, d: int) returns (x: int)
{
  var m := FindEven(s);
  x := OrElse(m, d);
  match m {
    case Nothing => x := x + 1000;
    case Just(v) => x := x + v;
  }
}
