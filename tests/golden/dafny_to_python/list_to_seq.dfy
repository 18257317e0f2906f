// Reference solution of specs/examples/list_to_seq.toml: a recursive generic datatype and a generic method.
datatype List<T> = Nil | Cons(head: T, tail: List<T>)

function Length<T>(l: List<T>): nat { match l case Nil => 0 case Cons(_, t) => 1 + Length(t) }

function Elems<T>(l: List<T>): seq<T> { if l.Nil? then [] else [l.head] + Elems(l.tail) }

method ListToSeq<T(==)>(l: List<T>) returns (s: seq<T>)
  ensures |s| == Length(l)
  ensures s == Elems(l)
{
  s := [];
  var cur := l;
  while cur.Cons?
    invariant s + Elems(cur) == Elems(l)
    invariant |s| + Length(cur) == Length(l)
    decreases cur
  {
    s := s + [cur.head];
    cur := cur.tail;
  }
}
