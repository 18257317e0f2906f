ghost method G()
  ensures false
{
  assume 0 == 1;
}
