// Guarded alternatives (`if case`, with and without braces), `if *` and `if (*)`:
// Dafny's compiler tries the guards in order and takes the then-branch of `if *`.
method ClassifyAge(age: int) returns (kind: int)
  ensures age < 18 ==> kind == 0
  ensures age >= 18 ==> kind == 1
{
  if
  case age < 18 => kind := 0;
  case age >= 18 => kind := 1;
}

method FirstSmaller(a: seq<int>, b: seq<int>, i: int, j: int) returns (k: int)
  requires 0 <= i < |a| && 0 <= j < |b|
  ensures k == 0 || k == 1
{
  if {
    case a[i] <= b[j] =>
      k := 0;
    case b[j] <= a[i] =>
      k := 1;
  }
}

method Arbitrary(x: int) returns (y: int)
  ensures y == x || y == -x
{
  if * {
    y := x;
  } else {
    y := -x;
  }
  if (*) {
    y := y + 0;
  }
}
