// Reference solution of specs/examples/tree_sum.toml: a recursive datatype.
datatype BinTree = Tip | Fork(left: BinTree, val: int, right: BinTree)

function TreeTotal(t: BinTree): int { if t.Tip? then 0 else TreeTotal(t.left) + t.val + TreeTotal(t.right) }

method TreeSum(t: BinTree) returns (s: int)
  ensures s == TreeTotal(t)
{
  match t
  case Tip => s := 0;
  case Fork(l, v, r) =>
    var a := TreeSum(l);
    var b := TreeSum(r);
    s := a + v + b;
}
