; pass: verify
; Bodies the verifier accepts: a javac-1.4 try/finally with jsr/ret (the subroutine
; entry has the caller's height plus the return address, the return point the
; caller's height), and a version 52 method with frames at its branch target,
; after its goto and at its handler.
.version 52 0
.class public T
.super java/lang/Object

.method static jsrFinally(I)I
    .limit stack 2
    .limit locals 4
    .catch all from A to B using Any
A:
    iload_0
    istore_1
    jsr Fin
    iload_1
    ireturn
B:
Any:
    astore_2
    jsr Fin
    aload_2
    athrow
Fin:
    astore_3
    iinc 0 1
    ret 3
.end method

.method static framed(I)I
    .limit stack 2
    .limit locals 1
    .catch java/lang/RuntimeException from A to B using H
A:
    iload_0
    ifeq L
    iconst_1
    goto R
L:
    .stack same
    iconst_2
R:
    .stack same_locals_1_stack_item Integer
B:
    ireturn
H:
    .stack same_locals_1_stack_item Object java/lang/RuntimeException
    pop
    iconst_3
    ireturn
.end method
.end class

; expect:
; method T.jsrFinally(I)I
; ok
; method T.framed(I)I
; ok
