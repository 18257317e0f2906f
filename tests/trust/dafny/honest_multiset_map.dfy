lemma MS()
  ensures multiset{1, 1, 2}[1] == 2
  ensures map[1 := {2}][1] == {2}
{
}
