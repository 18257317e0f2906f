// `var C(x, y) := e; body` in expressions (nested patterns too): a one-case match
datatype Shrub = Sprig | Bough(left: Shrub, val: int, right: Shrub)
datatype Chain = End | Link(head: int, tail: Chain)

function method BuildChain(n: nat): Chain
{
  if n == 0 then End else Link(n, BuildChain(n - 1))
}

function method RootOr(t: Shrub, d: int): int
{
  if t.Sprig? then d else var Bough(l, v, r) := t; v
}

function method FirstTwo(xs: Chain): int
  requires xs.Link? && xs.tail.Link?
{
  var Link(a, Link(b, _)) := xs; a * 10 + b
}

method LetPatterns(n: int, m: int) returns (s: int)
{
  var k := if n < 0 then -n else n;
  var xs := Link(k % 7, BuildChain(k % 5 + 1));
  var t := if m > 0 then Bough(Sprig, m, Sprig) else Sprig;
  s := FirstTwo(xs) + RootOr(t, n);
}
