datatype BTree = BLeaf | BNode(left: BTree, key: int, right: BTree)

function method BInsert(t: BTree, x: int): BTree
{
  match t
  case BLeaf => BNode(BLeaf, x, BLeaf)
  case BNode(l, k, r) =>
    if x < k then BNode(BInsert(l, x), k, r)
    else if x > k then BNode(l, k, BInsert(r, x))
    else t
}

function method InOrder(t: BTree): seq<int>
{
  match t
  case BLeaf => []
  case BNode(l, k, r) => InOrder(l) + [k] + InOrder(r)
}

function method BHeight(t: BTree): nat
{
  match t
  case BLeaf => 0
  case BNode(l, _, r) => 1 + (if BHeight(l) > BHeight(r) then BHeight(l) else BHeight(r))
}

function method BContains(t: BTree, x: int): bool
{
  match t
  case BLeaf => false
  case BNode(l, k, r) => if x == k then true else if x < k then BContains(l, x) else BContains(r, x)
}

// A binary search tree built in a loop; in-order walk, height, lookup.
method TreeSortInfo(s: seq<int>, probe: int) returns (sorted: seq<int>, h: nat, has: bool)
{
  var t := BLeaf;
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
  {
    t := BInsert(t, s[i]);
    i := i + 1;
  }
  sorted := InOrder(t);
  h := BHeight(t);
  has := BContains(t, probe);
}
