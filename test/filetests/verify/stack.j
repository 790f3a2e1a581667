; pass: verify
; Stack heights: a join reached with 1 and 2 values, an underflow, a height above
; max_stack (two longs in 3 slots), and a handler entry also reached by a jump with
; an empty stack (the exception edge brings 1).
.version 49 0
.class public T
.super java/lang/Object

.method static join(I)I
    .limit stack 3
    .limit locals 1
    iload_0
    iload_0
    ifeq L
    iconst_1
L:
    iconst_2
    ireturn
.end method

.method static underflow()I
    .limit stack 2
    .limit locals 0
    iconst_1
    iadd
    ireturn
.end method

.method static overflow()J
    .limit stack 3
    .limit locals 0
    lconst_1
    lconst_1
    ladd
    lreturn
.end method

.method static handlerJoin(I)V
    .limit stack 1
    .limit locals 1
    .catch all from A to B using H
    iload_0
    ifeq H
A:
    iload_0
    pop
B:
    return
H:
    return
.end method
.end class

; expect:
; method T.join(I)I
; stack-join: node 5 (iconst_2): stack heights disagree at a join (1 from node 2, 2 from node 3)
; method T.underflow()I
; stack-underflow: node 1 (iadd): pops 2 but the stack holds 1
; method T.overflow()J
; stack-overflow: node 1 (lconst_1): height 4 exceeds max_stack 3
; method T.handlerJoin(I)V
; stack-join: node 8 (return): stack heights disagree at a join (0 from node 1, 1 from node 4)
