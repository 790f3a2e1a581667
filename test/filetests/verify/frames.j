; pass: verify
; Version 52 with a StackMapTable but frames missing: at R (a branch target right
; after a goto) and at the handler H (right after an ireturn); each instruction is
; reported once, with the first reason found. The frame at L satisfies that target.
.version 52 0
.class public T
.super java/lang/Object

.method static missing(I)I
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
B:
    ireturn
H:
    pop
    iconst_3
    ireturn
.end method
.end class

; expect:
; method T.missing(I)I
; frame: node 9 (ireturn): no stack map frame at a branch target
; frame: node 11 (pop): no stack map frame at an instruction after an unconditional transfer
