method {:selective_checking} Main()
  ensures 1 == 2
{
  assert false;
  assume {:start_checking_here} true;
}
