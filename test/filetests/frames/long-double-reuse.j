; pass: frames
; Slots of a long reused: local 1-2 holds a long (J), then one arm stores an int
; into slot 2 (the long's second half: slot 1 becomes top), the other a double
; into 1-2. At L1 they merge to top top (trailing tops are not printed); later a
; long in 2-3 and an int in 1 are fine.
.class public LongReuse
.super java/lang/Object

.method public static f(Z)I
    lconst_1
    lstore_1
    iload_0
    ifeq L0
    iconst_3
    istore_2
    goto L1
L0:
    dconst_1
    dstore_1
L1:
    iload_0
    ifeq L2
    lconst_0
    lstore_2
    iconst_5
    istore_1
    goto L3
L2:
    iconst_0
    istore_1
L3:
    iload_1
    ireturn
.end method

; expect:
; method LongReuse.f(Z)I
; max_stack 2 max_locals 4
; b0: lconst_1 .. ifeq L0
;   locals [I] stack []
; b1: iconst_3 .. goto L1
;   locals [I, J] stack []
; b2 L0: dconst_1 .. dstore 1
;   locals [I, J] stack []
; b3 L1: iload 0 .. ifeq L2
;   locals [I] stack []
; b4: lconst_0 .. goto L3
;   locals [I] stack []
; b5 L2: iconst_0 .. istore 1
;   locals [I] stack []
; b6 L3: iload 1 .. ireturn
;   locals [I, I] stack []
