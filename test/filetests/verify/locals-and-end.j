; pass: verify
; Local indices at or above max_locals (the second slot of a long counts, iinc too),
; parameters that do not fit max_locals, and control running past the last instruction.
.version 49 0
.class public T
.super java/lang/Object

.method static locals(J)V
    .limit stack 2
    .limit locals 3
    lload 2
    pop2
    iinc 3 1
    return
.end method

.method params(JJ)V
    .limit stack 0
    .limit locals 4
    return
.end method

.method static fallsOff(I)V
    .limit stack 1
    .limit locals 1
    iload_0
    pop
.end method
.end class

; expect:
; method T.locals(J)V
; local: node 0 (lload): local 2..3 is not below max_locals 3
; local: node 2 (iinc): local 3 is not below max_locals 3
; method T.params(JJ)V
; local: the parameters take 5 local slots but max_locals is 4
; method T.fallsOff(I)V
; falls-off-end: node 1 (pop): control runs past the last instruction
