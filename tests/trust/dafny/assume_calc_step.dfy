lemma Main()
  ensures 1 == 2
{
  calc {
    1;
  == { assume false; }
    2;
  }
}
