// Classes: fields (ghost ones erased), anonymous and named constructors, instance,
// static and function members, this.f, new C(...) / new C.Init(...).
class BoundedStack {
  var items: seq<int>
  ghost var Repr: set<object>
  const capacity: nat

  constructor (cap: nat)
    ensures items == [] && capacity == cap
  {
    items := [];
    capacity := cap;
  }

  predicate Valid() reads this { |items| <= capacity }

  function method Size(): nat reads this { |items| }

  method Push(x: int)
    requires Valid() && |items| < capacity
    modifies this
    ensures Valid() && items == old(items) + [x]
  {
    items := items + [x];
  }

  method Pop() returns (x: int)
    requires Valid() && |items| > 0
    modifies this
    ensures Valid() && items + [x] == old(items)
  {
    x := items[|items| - 1];
    items := items[..|items| - 1];
  }

  static method Max(a: int, b: int) returns (m: int) ensures m >= a && m >= b { m := if a > b then a else b; }
}

class Cell {
  var value: int
  constructor Init(v: int) ensures value == v { value := v; }
  method Add(d: int) modifies this ensures value == old(value) + d { this.value := this.value + d; }
}

method UseBoundedStack(xs: seq<int>) returns (popped: seq<int>, size: nat, m: int, c: int)
{
  var s := new BoundedStack(|xs|);
  var i := 0;
  while i < |xs|
    invariant 0 <= i <= |xs| && s.Valid() && s.capacity == |xs| && |s.items| == i
    modifies s
  {
    s.Push(xs[i]);
    i := i + 1;
  }
  size := s.Size();
  popped := [];
  while s.Size() > 0
    invariant s.Valid()
    decreases |s.items|
    modifies s
  {
    var x := s.Pop();
    popped := popped + [x];
  }
  m := BoundedStack.Max(size, 3);
  var cell := new Cell.Init(size);
  cell.Add(10);
  c := cell.value;
}
