module Outer {
  module Inner {
    lemma Bad()
      ensures false
  }
  lemma Main()
    ensures 1 == 2
  {
    Inner.Bad();
  }
}
