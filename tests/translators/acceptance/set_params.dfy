// Set parameters: union, intersection, difference, subset and comprehension.
method SetAlgebra(a: set<int>, b: set<int>) returns (u: set<int>, i: set<int>, d: set<int>, sub: bool, small: set<int>)
  ensures u == a + b && i == a * b && d == a - b
{
  u := a + b;
  i := a * b;
  d := a - b;
  sub := i <= a && (a < u || a == u) && (a !! d) == (a * d == {});
  small := set x | x in u && -3 <= x <= 3 :: x * x;
}
