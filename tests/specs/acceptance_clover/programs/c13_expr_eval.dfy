datatype Expr = Const(v: int) | Add(l: Expr, r: Expr) | Mul(l: Expr, r: Expr) | Neg(arg: Expr)

method EvalExpr(x: Expr) returns (val: int)
  ensures val == Eval(x)
  decreases x
{
  match x
  case Const(c) =>
    val := c;
  case Add(p, q) =>
    var u := EvalExpr(p);
    var w := EvalExpr(q);
    val := u + w;
  case Mul(p, q) =>
    var u := EvalExpr(p);
    var w := EvalExpr(q);
    val := u * w;
  case Neg(p) =>
    var u := EvalExpr(p);
    val := -u;
}
