; pass: frames
; A constructor calling this(...) with a conditional argument: `this` is
; uninitializedThis in the local and on the stack until the invokespecial, then
; ThisCtor everywhere (the copy left on the stack included).
.class public ThisCtor
.super java/lang/Object

.method static flag()Z
    iconst_1
    ireturn
.end method

.method public <init>(I)V
    aload_0
    invokespecial java/lang/Object/<init>()V
    return
.end method

.method public <init>()V
    aload_0
    invokestatic ThisCtor/flag()Z
    ifeq L0
    iconst_1
    goto L1
L0:
    iconst_2
L1:
    invokespecial ThisCtor/<init>(I)V
    aload_0
    invokestatic ThisCtor/flag()Z
    ifeq L2
    aconst_null
    pop
L2:
    return
.end method

; expect:
; method ThisCtor.flag()Z
; max_stack 1 max_locals 0
; b0: iconst_1 .. ireturn
;   locals [] stack []
; method ThisCtor.<init>(I)V
; max_stack 1 max_locals 2
; b0: aload 0 .. return
;   locals [uninitializedThis, I] stack []
; method ThisCtor.<init>()V
; max_stack 2 max_locals 1
; b0: aload 0 .. ifeq L0
;   locals [uninitializedThis] stack []
; b1: iconst_1 .. goto L1
;   locals [uninitializedThis] stack [uninitializedThis]
; b2 L0: iconst_2
;   locals [uninitializedThis] stack [uninitializedThis]
; b3 L1: invokespecial ThisCtor/<init> .. ifeq L2
;   locals [uninitializedThis] stack [uninitializedThis, I]
; b4: aconst_null .. pop
;   locals [LThisCtor;] stack [LThisCtor;]
; b5 L2: return
;   locals [LThisCtor;] stack [LThisCtor;]
