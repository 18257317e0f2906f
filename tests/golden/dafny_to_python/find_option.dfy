// Reference solution of specs/examples/find_option.toml: a generic datatype at Option<int>.
datatype Option<T> = None | Some(value: T)

method FindOption(xs: seq<int>, x: int) returns (r: Option<int>)
  ensures r.Some? ==> 0 <= r.value < |xs| && xs[r.value] == x && forall j :: 0 <= j < r.value ==> xs[j] != x
  ensures r == None <==> x !in xs
{
  var i := 0;
  while i < |xs|
    invariant 0 <= i <= |xs|
    invariant forall j :: 0 <= j < i ==> xs[j] != x
  {
    if xs[i] == x {
      return Some(i);
    }
    i := i + 1;
  }
  return None;
}
