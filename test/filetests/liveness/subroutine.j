; pass: liveness
; jsr/ret (class version 45.3, before inline-subroutines runs): `ret 2` reads its
; return address; the return point after each jsr is not a CFG successor of the
; ret block, so liveness carries what is live at every return point into the
; ret block: local 1 is read after the second jsr, so it is live through the
; subroutine and at both calls, conservatively also at the first (where the code
; after the return point overwrites it).
.class public Sub
.super java/lang/Object

.method public static f(I)I
    .limit stack 2
    .limit locals 3
    iconst_0
    istore_1
    jsr L0
    iload_0
    istore_1
    jsr L0
    iload_1
    ireturn
L0:
    astore_2
    iinc 0 1
    ret 2
.end method

; expect:
; method Sub.f(I)I
; b0: iconst_0 .. jsr L0
;   live in {0} out {0, 1}
; b1: iload 0 .. jsr L0
;   live in {0} out {0, 1}
; b2: iload 1 .. ireturn
;   live in {1} out {}
; b3 L0: astore 2 .. ret 2
;   live in {0, 1} out {0, 1}
