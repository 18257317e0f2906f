lemma Card()
  ensures |{1}| == 1
  ensures |{1, 2}| == 2
{
  assert {1, 2} == {1} + {2};
}
