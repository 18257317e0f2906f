datatype IntList = INil | ICons(head: int, tail: IntList)

function method FromSeqL(s: seq<int>): IntList
  decreases |s|
{
  if |s| == 0 then INil else ICons(s[0], FromSeqL(s[1..]))
}

function method LenL(l: IntList): nat
{
  match l
  case INil => 0
  case ICons(_, t) => 1 + LenL(t)
}

function method SumL(l: IntList): int
{
  match l
  case INil => 0
  case ICons(h, t) => h + SumL(t)
}

function method RevAppL(l: IntList, acc: IntList): IntList
{
  match l
  case INil => acc
  case ICons(h, t) => RevAppL(t, ICons(h, acc))
}

function method ToSeqL(l: IntList): seq<int>
{
  match l
  case INil => []
  case ICons(h, t) => [h] + ToSeqL(t)
}

// A list ADT built from a sequence, reversed and folded.
method ListStats(s: seq<int>) returns (n: nat, total: int, rev: seq<int>)
  ensures n == |s|
{
  var l := FromSeqL(s);
  LenFromSeq(s);
  n := LenL(l);
  total := SumL(l);
  rev := ToSeqL(RevAppL(l, INil));
}

lemma LenFromSeq(s: seq<int>)
  ensures LenL(FromSeqL(s)) == |s|
  decreases |s|
{
  if |s| > 0 {
    LenFromSeq(s[1..]);
  }
}
