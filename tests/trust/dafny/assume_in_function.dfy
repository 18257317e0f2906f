function F(): int
  ensures F() == 1 && F() == 2
{
  assume false; 0
}
