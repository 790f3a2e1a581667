; pass: liveness
; A handler that is also a loop head: L0 is entered by exceptions from [L1, L2) and
; by the backward jump at the end, which pushes a fresh RuntimeException so that
; both ways in have the same stack. Local 0 = n, local 1 = tries.
.class public Retry
.super java/lang/Object

.method public static retry(I)I
    .limit stack 2
    .limit locals 2
    .catch java/lang/RuntimeException from L1 to L2 using L0
    iconst_0
    istore_1
    goto L1
L0:
    pop
    iinc 1 1
    iload_1
    iload_0
    if_icmpge L3
L1:
    iload_0
    iload_1
    idiv
L2:
    ireturn
L3:
    new java/lang/RuntimeException
    dup
    invokespecial java/lang/RuntimeException/<init>()V
    goto L0
.end method

; A loop whose body is protected and whose head is the handler of its own body:
; while (true) try { i = 100 / i; return i; } catch (RuntimeException e) { i++; }
.method public static loop(I)I
    .limit stack 2
    .limit locals 1
    .catch java/lang/RuntimeException from L1 to L2 using L0
    goto L1
L0:
    pop
    iinc 0 1
L1:
    bipush 100
    iload_0
    idiv
    istore_0
    iload_0
L2:
    ireturn
.end method

; expect:
; method Retry.retry(I)I
; b0: iconst_0 .. goto L1
;   live in {0} out {0, 1}
; b1 L0: pop .. if_icmpge L3
;   live in {0, 1} out {0, 1}
; b2 L1: iload 0 .. idiv
;   live in {0, 1} out {}
; b3 L2: ireturn
;   live in {} out {}
; b4 L3: new java/lang/RuntimeException .. goto L0
;   live in {0, 1} out {0, 1}
; method Retry.loop(I)I
; b0: goto L1
;   live in {0} out {0}
; b1 L0: pop .. iinc 0 1
;   live in {0} out {0}
; b2 L1: bipush 100 .. iload 0
;   live in {0} out {}
; b3 L2: ireturn
;   live in {} out {}
