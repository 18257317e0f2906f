datatype Tree = Leaf | Node(l: Tree, v: int, r: Tree)

function Size(t: Tree): nat
{
  match t
  case Leaf => 0
  case Node(l, _, r) => Size(l) + 1 + Size(r)
}

lemma SizeNode(l: Tree, v: int, r: Tree)
  ensures Size(Node(l, v, r)) > 0
{
}
