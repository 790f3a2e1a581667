; pass: stackmap
; A version 49 class has no StackMapTable; frames are computed from the code
; alone (the handler gets locals merged over its range, the loop head an append).
.version 49 0
.class public super Old
.super java/lang/Object

.method public static sum([I)I
    .catch java/lang/RuntimeException from L1 to L2 using L3
    iconst_0
    istore_1
    iconst_0
    istore_2
L0:
    iload_2
    aload_0
    arraylength
    if_icmpge L4
L1:
    iload_1
    aload_0
    iload_2
    iaload
    iadd
    istore_1
L2:
    iinc 2 1
    goto L0
L3:
    pop
    iconst_m1
    ireturn
L4:
    iload_1
    ireturn
.end method

; expect:
; method Old.sum([I)I
; max_stack 3 max_locals 3
; L0: append int int
; L3: full locals [[I] stack [Ljava/lang/RuntimeException;]
; L4: append int
