// Nullable class types C? (null is None, x == null is 'x is None'), a linked list.
class ListNode {
  var val: int
  var next: ListNode?
  constructor (v: int) ensures val == v && next == null { val := v; next := null; }
}
method SumOfLinkedList(n: nat) returns (total: int)
{
  var head: ListNode? := null;
  var i := 0;
  while i < n invariant 0 <= i <= n { var nd := new ListNode(i); nd.next := head; head := nd; i := i + 1; }
  total := 0;
  var k := 0;
  var cur := head;
  while cur != null && k < n decreases n - k { total := total + cur.val; cur := cur.next; k := k + 1; }
}
