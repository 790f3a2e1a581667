; pass: cfg
; Constructors calling this(...): Point() calls this(0), Point(Z) calls
; this(b ? 1 : 2) with a branch while `this` is still uninitializedThis.
.class public Point
.super java/lang/Object
.field x I

.method public <init>(I)V
    .limit stack 2
    .limit locals 2
    aload_0
    invokespecial java/lang/Object/<init>()V
    aload_0
    iload_1
    putfield Point/x I
    return
.end method

.method public <init>()V
    .limit stack 2
    .limit locals 1
    aload_0
    iconst_0
    invokespecial Point/<init>(I)V
    return
.end method

.method public <init>(Z)V
    .limit stack 2
    .limit locals 2
    aload_0
    iload_1
    ifeq L0
    iconst_1
    goto L1
L0:
    iconst_2
L1:
    invokespecial Point/<init>(I)V
    return
.end method

; expect:
; method Point.<init>(I)V
; b0: aload 0 .. return
;   -> (none)
; rpo: b0
; method Point.<init>()V
; b0: aload 0 .. return
;   -> (none)
; rpo: b0
; method Point.<init>(Z)V
; b0: aload 0 .. ifeq L0
;   -> b1 b2
; b1: iconst_1 .. goto L1
;   -> b3
; b2 L0: iconst_2
;   -> b3
; b3 L1: invokespecial Point/<init> .. return
;   -> (none)
; rpo: b0 b2 b1 b3
