// verdict: VERIFIED
// exit: 0
class Buffer {
  var data: array<int>
  var count: nat

  predicate Valid()
    reads this
  {
    count <= data.Length
  }

  constructor (cap: nat)
    ensures Valid() && fresh(data) && data.Length == cap && count == 0
  {
    data := new int[cap];
    count := 0;
  }

  method Push(x: int)
    requires Valid() && count < data.Length
    modifies this, data
    ensures Valid() && count == old(count) + 1 && data == old(data)
    ensures data[old(count)] == x
  {
    data[count] := x;
    count := count + 1;
  }
}

method FillZero(a: array<int>)
  modifies a
  ensures forall k :: 0 <= k < a.Length ==> a[k] == 0
{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall k :: 0 <= k < i ==> a[k] == 0
  {
    a[i] := 0;
    i := i + 1;
  }
}
