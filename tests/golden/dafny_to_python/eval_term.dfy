// Reference solution of specs/examples/eval_term.toml: a `match` in the helper and in an ensures.
datatype Term = Num(n: int) | Plus(left: Term, right: Term) | Scale(k: int, arg: Term)

function Eval(t: Term): int { match t case Num(n) => n case Plus(a, b) => Eval(a) + Eval(b) case Scale(k, a) => k * Eval(a) }

method EvalTerm(t: Term) returns (v: int)
  ensures v == Eval(t)
  ensures match t case Num(n) => v == n case Plus(a, b) => v == Eval(a) + Eval(b) case Scale(k, _) => k == 0 ==> v == 0
{
  match t
  case Num(n) => v := n;
  case Plus(a, b) =>
    var x := EvalTerm(a);
    var y := EvalTerm(b);
    v := x + y;
  case Scale(k, a) =>
    var x := EvalTerm(a);
    v := k * x;
}
