// Dafny names that spell the same in Python, or that would shadow a global there.
function method Sqr(x: int): int { x * x }

const len: int := 3
const K': int := 4

// `s'` and `s_p` are both `s_p` in Python: the second gets `s_p_2`; `var Sqr := Sqr(x)`
// must not turn the function Sqr into a local of the Python function.
method PrimedNames(x: int) returns (s': int, s_p: int)
  ensures s' == x + 1 && s_p == 2 * x
{
  var x' := x + 1;
  var x_p := x * 2;
  s' := x';
  s_p := x_p;
}

method LocalNamedLikeFunction(x: int) returns (y: int)
  ensures y == x * x + 7
{
  var Sqr := Sqr(x);
  y := Sqr + len + K';
}
