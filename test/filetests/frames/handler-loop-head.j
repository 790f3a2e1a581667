; pass: frames
; A handler that is also a loop head: L0 catches Exception from [L1, L2) and is
; also jumped to with an IllegalStateException on the stack; the stack merges to
; Exception (their common super class). Local 1 is written only in the handler,
; so its entry sees top there (from the covered code) and keeps it.
.class public HandlerLoop
.super java/lang/Object

.method static g(I)V
    return
.end method

.method public static f(I)I
    .catch java/lang/Exception from L1 to L2 using L0
    goto L1
L0:
    astore_1
    iinc 0 -1
L1:
    iload_0
    ifle L3
    iload_0
    invokestatic HandlerLoop/g(I)V
    new java/lang/IllegalStateException
    dup
    invokespecial java/lang/IllegalStateException/<init>()V
    iload_0
    iconst_5
    if_icmpne L2
    goto L0
L2:
    athrow
L3:
    iload_0
    ireturn
.end method

; expect:
; method HandlerLoop.g(I)V
; max_stack 0 max_locals 1
; b0: return
;   locals [I] stack []
; method HandlerLoop.f(I)I
; max_stack 3 max_locals 2
; b0: goto L1
;   locals [I] stack []
; b1 L0: astore 1 .. iinc 0 -1
;   locals [I] stack [Ljava/lang/Exception;]
; b2 L1: iload 0 .. ifle L3
;   locals [I] stack []
; b3: iload 0 .. if_icmpne L2
;   locals [I] stack []
; b4: goto L0
;   locals [I] stack [Ljava/lang/IllegalStateException;]
; b5 L2: athrow
;   locals [I] stack [Ljava/lang/IllegalStateException;]
; b6 L3: iload 0 .. ireturn
;   locals [I] stack []
