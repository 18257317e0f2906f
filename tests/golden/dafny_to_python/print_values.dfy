datatype Shade = Dark | Rgb(r: int, g: int)

// Dafny's print format for maps, multisets and datatype values (not Python's reprs).
method PrintValues(x: int) returns (n: int)
  ensures n == x
{
  var m := map[x := true];
  var ms := multiset{x, x, 2};
  print m, " ", ms, " ", Dark, " ", Rgb(x, -1), " ", [Dark], "\n";
  n := x;
}
