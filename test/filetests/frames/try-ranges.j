; pass: frames
; Nested and overlapping try ranges. Local 2 holds a String in [L0, L1) and an
; int from the middle of [L1, L2), so every handler covering both sees top there;
; local 1 is an int everywhere. Handler stacks hold the catch type, Throwable for
; `all`.
.class public TryRanges
.super java/lang/Object

.method static g()V
    return
.end method

.method public static f(Ljava/lang/String;)I
    .catch java/lang/IllegalStateException from L0 to L2 using L4
    .catch java/lang/IllegalArgumentException from L1 to L3 using L5
    .catch all from L0 to L3 using L6
    iconst_0
    istore_1
L0:
    invokestatic TryRanges/g()V
    ldc "x"
    astore_2
L1:
    invokestatic TryRanges/g()V
    iconst_1
    istore_2
L2:
    invokestatic TryRanges/g()V
L3:
    iload_1
    ireturn
L4:
    astore_2
    iconst_2
    ireturn
L5:
    astore_3
    iconst_3
    ireturn
L6:
    athrow
.end method

; expect:
; method TryRanges.g()V
; max_stack 0 max_locals 0
; b0: return
;   locals [] stack []
; method TryRanges.f(Ljava/lang/String;)I
; max_stack 1 max_locals 4
; b0: iconst_0 .. istore 1
;   locals [Ljava/lang/String;] stack []
; b1 L0: invokestatic TryRanges/g .. astore 2
;   locals [Ljava/lang/String;, I] stack []
; b2 L1: invokestatic TryRanges/g .. istore 2
;   locals [Ljava/lang/String;, I, Ljava/lang/String;] stack []
; b3 L2: invokestatic TryRanges/g
;   locals [Ljava/lang/String;, I, I] stack []
; b4 L3: iload 1 .. ireturn
;   locals [Ljava/lang/String;, I, I] stack []
; b5 L4: astore 2 .. ireturn
;   locals [Ljava/lang/String;, I] stack [Ljava/lang/IllegalStateException;]
; b6 L5: astore 3 .. ireturn
;   locals [Ljava/lang/String;, I] stack [Ljava/lang/IllegalArgumentException;]
; b7 L6: athrow
;   locals [Ljava/lang/String;, I] stack [Ljava/lang/Throwable;]
