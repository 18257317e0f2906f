"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations


class ListNode:
    """Dafny class `ListNode`."""

    def __init__(self, v: int) -> None:
        """Dafny anonymous constructor.

        ensures val == v && next == null
        """
        self.val: int = 0
        self.next_: ListNode | None = None
        self.val = v
        self.next_ = None


def SumOfLinkedList(n: int) -> int:
    """Dafny method `SumOfLinkedList`."""
    head = None
    i = 0
    while i < n:
        nd = ListNode(i)
        nd.next_ = head
        head = nd
        i = i + 1
    total = 0
    k = 0
    cur = head
    while cur is not None and k < n:
        total = total + cur.val
        cur = cur.next_
        k = k + 1
    return total
