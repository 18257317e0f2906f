// `real` is exact in Dafny: Fraction in Python (literals, /, as real, .Floor, defaults).
method has_close_elements(numbers: seq<real>, threshold: real) returns (res: bool)
  requires threshold >= 0.0
  ensures res ==> exists i: int, j: int :: 0 <= i < |numbers| && 0 <= j < |numbers| && i != j && (if numbers[i] - numbers[j] < 0.0 then numbers[j] - numbers[i] else numbers[i] - numbers[j]) < threshold
{
  res := false;
  var idx: int := 0;
  while idx < |numbers| && !res
    invariant 0 <= idx <= |numbers|
    invariant res ==> exists i: int, j: int :: 0 <= i < |numbers| && 0 <= j < |numbers| && i != j && (if numbers[i] - numbers[j] < 0.0 then numbers[j] - numbers[i] else numbers[i] - numbers[j]) < threshold
  {
    var idx2: int := 0;
    while idx2 < idx && !res
      invariant 0 <= idx2 <= idx
      invariant res ==> exists i: int, j: int :: 0 <= i < |numbers| && 0 <= j < |numbers| && i != j && (if numbers[i] - numbers[j] < 0.0 then numbers[j] - numbers[i] else numbers[i] - numbers[j]) < threshold
    {
      var distance := (if numbers[idx2] - numbers[idx] < 0.0 then numbers[idx] - numbers[idx2] else numbers[idx2] - numbers[idx]);
      if distance < threshold { res := true; return; }
      idx2 := idx2 + 1;
    }
    idx := idx + 1;
  }
}
method MixReals(x: real, n: int) returns (y: real, f: int)
  requires x != 0.0
{
  var z: real := -0.5;
  y := x * 1.5 / x + n as real - 0.25 + z / x;
  f := y.Floor + ((y.Floor as real) as int);
}
