; pass: stackmap
; Unreachable code (iconst_2 ireturn nop) becomes nop nop athrow under
; `full locals [] stack [Throwable]`, as ASM does, and the handler row is cut
; so it no longer covers it: it now ends at the new label L1 where the run
; starts. The handler's frame is full again (relative to the empty locals).
.version 52 0
.class public super Dead
.super java/lang/Object

.method public static f(I)I
    .catch java/lang/Exception from L0 to L1 using L2
L0:
    iload_0
    ireturn
    iconst_2
    ireturn
L1:
    nop
L2:
    pop
    iconst_3
    ireturn
.end method

; expect:
; method Dead.f(I)I
; max_stack 1 max_locals 1
; L1: full locals [] stack [Ljava/lang/Throwable;]
; L2: full locals [int] stack [Ljava/lang/Exception;]
