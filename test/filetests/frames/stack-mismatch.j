; pass: frames
; Inconsistent code: the two paths reach L0 with stacks of different heights.
; Frame inference reports E_FRAME and goes on.
.class public Bad
.super java/lang/Object

.method public static f(Z)I
    .limit stack 2
    .limit locals 1
    iload_0
    ifeq L0
    iconst_1
L0:
    iconst_2
    ireturn
.end method

; expect:
; method Bad.f(Z)I
; max_stack 1 max_locals 1
; b0: iload 0 .. ifeq L0
;   locals [I] stack []
; b1: iconst_1
;   locals [I] stack []
; b2 L0: iconst_2 .. ireturn
;   locals [I] stack []
; error stack heights differ where control flow joins (node 4)
