// Reference solution of specs/examples/copy_to_array.toml: an array as the output.
method DoubledArray(s: seq<int>) returns (a: array<int>)
  ensures a.Length == |s|
  ensures forall i :: 0 <= i < a.Length ==> a[i] == 2 * s[i]
{
  a := new int[|s|];
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant forall j :: 0 <= j < i ==> a[j] == 2 * s[j]
  {
    a[i] := 2 * s[i];
    i := i + 1;
  }
}
