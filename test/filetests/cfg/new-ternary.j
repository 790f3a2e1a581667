; pass: cfg
; `new` with branches before its <init>: new Integer(b ? 1 : 2). The uninitialized
; object stays on the stack across the conditional; the CFG has a diamond between
; the new and the invokespecial.
.class public Make
.super java/lang/Object

.method public static make(Z)Ljava/lang/Integer;
    .limit stack 3
    .limit locals 1
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
; b0: new java/lang/Integer .. ifeq L0
;   -> b1 b2
; b1: iconst_1 .. goto L1
;   -> b3
; b2 L0: iconst_2
;   -> b3
; b3 L1: invokespecial java/lang/Integer/<init> .. areturn
;   -> (none)
; rpo: b0 b2 b1 b3
