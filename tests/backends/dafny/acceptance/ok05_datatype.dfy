// verdict: VERIFIED
// exit: 0
datatype List = Nil | Cons(head: int, tail: List)

function Length(xs: List): nat
{
  match xs
  case Nil => 0
  case Cons(_, t) => 1 + Length(t)
}

function Append(xs: List, ys: List): List
{
  match xs
  case Nil => ys
  case Cons(h, t) => Cons(h, Append(t, ys))
}

lemma AppendLength(xs: List, ys: List)
  ensures Length(Append(xs, ys)) == Length(xs) + Length(ys)
{
  match xs
  case Nil =>
  case Cons(h, t) => AppendLength(t, ys);
}
