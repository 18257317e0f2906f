procedure $YieldHavoc(this: ref, rds: Set Box, nw: Set Box);
procedure $IterHavoc0(this: ref, rds: Set Box, modi: Set Box);
procedure $IterHavoc1(this: ref, modi: Set Box, nw: Set Box);
procedure $IterCollectNewObjects(prevHeap: Heap, newHeap: Heap, this: ref, NW: Field (Set Box))
procedure CheckWellformed$$_module.C.my__meth(this: ref
procedure Call$$_module.C.my__meth(this: ref
procedure Impl$$_module.C.my__meth(this: ref
implementation Impl$$_module.C.my__meth(this: ref, x#0: int) returns (y#0: int, $_reverifyPost: bool)
    // ----- assignment statement ----- v.dfy(1,69)
// definition axiom for _module.__default.G(revealed)
// definition axiom for _module.__default.G for all literals(revealed)
procedure CheckWellformed$$_module.__default.G(x#0: int);
implementation CheckWellformed$$_module.__default.G(x#0: int)
