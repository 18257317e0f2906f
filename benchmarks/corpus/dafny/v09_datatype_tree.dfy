datatype Tree = Leaf | Node(left: Tree, value: int, right: Tree)

function Size(t: Tree): nat
{
  match t
  case Leaf => 0
  case Node(l, _, r) => Size(l) + 1 + Size(r)
}

function Mirror(t: Tree): Tree
{
  match t
  case Leaf => Leaf
  case Node(l, v, r) => Node(Mirror(r), v, Mirror(l))
}

lemma MirrorSize(t: Tree)
  ensures Size(Mirror(t)) == Size(t)
{
  match t
  case Leaf =>
  case Node(l, v, r) =>
    MirrorSize(l);
    MirrorSize(r);
}

lemma MirrorMirror(t: Tree)
  ensures Mirror(Mirror(t)) == t
{
  match t
  case Leaf =>
  case Node(l, v, r) =>
    MirrorMirror(l);
    MirrorMirror(r);
}
