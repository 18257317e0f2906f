// Forms found in DafnyBench programs: proof steps in front of expressions, primes in
// names, `static` outside a class, frames on fields, nested comments, `new C.M(...)`
// with a method M, nullable references, array2 initializers, subset types whose base
// type Dafny infers, type synonyms with characteristics, `old@L`.
type SmallDigit = x | 0 <= x < 10
type PersonId(==) = int

/* a nested /* comment */ still a comment: method Hidden() {} */

static function method RemoveKey(m: map<int, int>, k: int): map<int, int>
{
  var m' := map j | j in m && j != k :: m[j];
  assert m'.Keys == m.Keys - {k};
  m'
}

predicate IsPositive(x: int) { x > 0 }

function method ClampDigit(x: int): int
{
  if x < 0 then
    assert !IsPositive(x);
    0
  else if x > 9 then calc { x; > 9; } 9
  else assert IsPositive(x) || x == 0 by {} x
}

function method ToDigit(x: int): SmallDigit
{
  assert 0 <= ClampDigit(x) < 10;
  ClampDigit(x)
}

class Counter {
  var count: int
  var next: Counter?

  method Init(start: int)
    modifies `count, this`next
    ensures count == start && next == null
  {
    count := start;
    next := null;
  }

  ghost static method Lemma(n: int) requires n >= 0 ensures n + 1 > 0 {}

  method Bump() returns (v: int)
    modifies this
    ensures v == old(count) + 1
  {
    label L:
    count := count + 1;
    assert old@L(count) + 1 == count;
    v := count;
  }
}

method CountedFrom(start: int) returns (v: int, empty: bool)
  ensures v == start + 1
{
  var c := new Counter.Init(start);
  var d: Counter?;
  v := c.Bump();
  empty := d == null;
}

method TenTable(n: nat) returns (corner: int)
{
  var t := new int[n + 1, 2]((i, j) => i * 10 + j);
  corner := t[n, 1] + t.Length0;
}

method Cleared(s: seq<int>) returns (r: seq<int>)
  ensures |r| == |s|
{
  var a := new int[|s|];
  forall (i | 0 <= i < a.Length) { a[i] := s[i] * 0; }
  r := a[..];
}

method DigitOwner(p: PersonId, m: map<int, int>) returns (d: SmallDigit, rest: map<int, int>)
{
  d := ToDigit(p);
  rest := RemoveKey(m, p);
}
