datatype Tree = Leaf | Node(left: Tree, value: int, right: Tree)

function method Insert(t: Tree, x: int): Tree
{
  match t
  case Leaf => Node(Leaf, x, Leaf)
  case Node(l, v, r) => if x < v then Node(Insert(l, x), v, r) else Node(l, v, Insert(r, x))
}

function method Inorder(t: Tree): seq<int>
{
  match t
  case Leaf => []
  case Node(l, v, r) => Inorder(l) + [v] + Inorder(r)
}

function method Size(t: Tree): nat
{
  if t.Leaf? then 0 else Size(t.left) + 1 + Size(t.right)
}

method TreeSort(xs: seq<int>) returns (ys: seq<int>, n: nat)
{
  var t := Leaf;
  var i := 0;
  while i < |xs|
    invariant 0 <= i <= |xs|
  {
    t := Insert(t, xs[i]);
    i := i + 1;
  }
  ys := Inorder(t);
  n := Size(t);
}
