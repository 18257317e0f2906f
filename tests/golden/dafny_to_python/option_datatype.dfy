datatype Option<T> = None | Some(value: T)

function method FindIndex(s: seq<int>, x: int, from: nat): Option<nat>
  decreases |s| - from
{
  if from >= |s| then None else if s[from] == x then Some(from) else FindIndex(s, x, from + 1)
}

method Lookup(s: seq<int>, x: int) returns (found: bool, idx: int)
{
  var r := FindIndex(s, x, 0);
  match r {
    case None =>
      found, idx := false, -1;
    case Some(i) =>
      found, idx := true, i;
  }
}
