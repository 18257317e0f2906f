// calls of function values that are not names: lambdas called in place, curried calls
method ValueCalls(a: int, b: int) returns (r: int)
{
  var add := (x: int) => (y: int) => x + y;
  r := (x => x * 2)(a) + add(a)(b) + ((x, y) => y - x)(a, b) + (() => 7)() + ((x: int) => x / 3)(b);
}
