; pass: frames
; `new` with branches before its <init>: new Integer(b ? 1 : 2). Both arms see
; the two copies of the new object on the stack as uninitialized(#0) (no label
; stands at the `new`, so it is named by its node index); the join (L1) adds the
; int argument.
.class public Make
.super java/lang/Object

.method public static make(Z)Ljava/lang/Integer;
    new java/lang/Integer
    dup
    iload_0
    ifeq L0
    iconst_1
    goto L1
L0:
    iconst_2
L1:
    invokespecial java/lang/Integer/<init>(I)V
    areturn
.end method

; expect:
; method Make.make(Z)Ljava/lang/Integer;
; max_stack 3 max_locals 1
; b0: new java/lang/Integer .. ifeq L0
;   locals [I] stack []
; b1: iconst_1 .. goto L1
;   locals [I] stack [uninitialized(#0), uninitialized(#0)]
; b2 L0: iconst_2
;   locals [I] stack [uninitialized(#0), uninitialized(#0)]
; b3 L1: invokespecial java/lang/Integer/<init> .. areturn
;   locals [I] stack [uninitialized(#0), uninitialized(#0), I]
