// Type synonyms, subset types and newtypes compile to their base types.
type IntStack = seq<int>
type Pair<A> = (A, A)
type Pos = x: int | x > 0 witness 1
newtype Byte = x: int | 0 <= x < 256
newtype Odd = n: int | n % 2 == 1 witness 3

function method Push(s: IntStack, x: int): IntStack { s + [x] }

method PushTwiceOnto(s: IntStack, x: int) returns (r: IntStack)
  ensures |r| == |s| + 2
{
  r := Push(Push(s, x), x);
}

method SwapPositives(p: Pair<Pos>) returns (q: Pair<Pos>)
  ensures q.0 == p.1 && q.1 == p.0
{
  q := (p.1, p.0);
}

method AddBytes(a: Byte, b: Byte) returns (c: Byte, half: int)
  requires a as int + b as int < 256
  ensures c as int == a as int + b as int
{
  c := a + b;
  half := (c as int) / 2;
}

method NextOdd(o: Odd) returns (p: Odd)
  requires o < 1001
  ensures p as int == o as int + 2
{
  p := (o as int + 2) as Odd;
}
