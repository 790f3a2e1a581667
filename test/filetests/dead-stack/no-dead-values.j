; pass: dead-stack
; javac's code takes every value it pushes (`new` ... `pop` of an unused result,
; returns with only the returned value on the stack): the body comes back as it was.
.version 49 0
.class public T
.super java/lang/Object

.method static f(I)I
    .limit stack 2
    .limit locals 1
    iload_0
    ifeq Zero
    iload_0
    iconst_1
    iadd
    ireturn
Zero:
    invokestatic java/lang/System/nanoTime()J
    pop2
    iconst_0
    ireturn
.end method
.end class

; expect:
; method T.f(I)I
;     .limit stack 2
;     .limit locals 1
;     iload 0
;     ifeq L0
;     iload 0
;     iconst_1
;     iadd
;     ireturn
; L0:
;     invokestatic java/lang/System/nanoTime()J
;     pop2
;     iconst_0
;     ireturn
