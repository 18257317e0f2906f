// Dafny 2.3 forms found in DafnyBench: a `;` after a constant, several characteristic
// groups on a type parameter, a tuple let, arrays whose element type Dafny infers.
const Shift: int := 3;

function method SwapPair(p: (int, int)): (int, int)
{
  var (a, b) := p; (b, a)
}

function method SumPair(p: (int, int)): int
{
  var (x, y) := p;
  x + y
}

method PairSums(n: int) returns (s: int, t: int)
{
  var q := SwapPair((n, n + Shift));
  s := SumPair(q);
  t := var (u, v) := q; u - v;
}

method Ramp(n: nat) returns (a: array<int>)
  ensures a.Length == n
{
  a := new [n];
  var i := 0;
  while i < n
    invariant 0 <= i <= n
  {
    a[i] := i + Shift;
    i := i + 1;
  }
}

method Firsts(k: int) returns (r: seq<int>)
  ensures |r| == 3
{
  var a: array<int> := new [] [k, k + 1, k + 2];
  r := a[..];
}

method CountEq<T(==)(0)>(s: seq<T>, x: T) returns (c: nat)
{
  c := 0;
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
  {
    if s[i] == x { c := c + 1; }
    i := i + 1;
  }
}

// `x := *` keeps x (an out-parameter never assigned keeps its default); `var q: T := *`
// is T's default; `var p, c;` takes its types from the call that assigns them
method HavocForms(n: int) returns (r: int, s: int, t: int)
{
  var a := new int[2];
  a[0] := n;
  a[0] := *;
  r := n;
  r := *;
  var q: int := *;
  var p, c;
  p, c := PairSums(n);
  s := a[0] + q + p + c;
  t := *;
}
