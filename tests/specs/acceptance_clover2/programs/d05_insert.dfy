method insert(line: array<char>, l: int, nl: array<char>, p: int, at: int)
  requires 0 <= l + p <= line.Length
  requires 0 <= p <= nl.Length
  requires 0 <= at <= l
  modifies line
  ensures forall i :: (0 <= i < p) ==> line[at + i] == nl[i]
  ensures forall i :: (0 <= i < at) ==> line[i] == old(line[i])
  ensures forall i :: (at + p <= i < l + p) ==> line[i] == old(line[i - p])
{
  ghost var initial := line[..];
  var i := l;
  while i > at
    invariant at <= i <= l
    invariant forall k :: 0 <= k < i ==> line[k] == initial[k]
    invariant forall k :: i + p <= k < l + p ==> line[k] == initial[k - p]
  {
    i := i - 1;
    line[i + p] := line[i];
  }
  i := 0;
  while i < p
    invariant 0 <= i <= p
    invariant forall k :: 0 <= k < at ==> line[k] == initial[k]
    invariant forall k :: 0 <= k < i ==> line[at + k] == nl[k]
    invariant forall k :: at + p <= k < l + p ==> line[k] == initial[k - p]
  {
    line[at + i] := nl[i];
    i := i + 1;
  }
}
