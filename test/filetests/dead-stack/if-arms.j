; pass: dead-stack
; The shape of Clojure's `ns` prologue, a long and a handler:
; - the long is dead from the start (nothing below `return` reads it): pop2 before
;   `iload 0`, where every slot on the stack is dead;
; - each arm of the `if` leaves one value; before the `goto` every slot is dead, but
;   a pop there would leave the join with 0 slots from one arm and 1 from the other,
;   so it is given up and the join pops it instead (before `iconst_1`, inside the
;   try range: a pop cannot throw);
; - the handler returns without taking the exception: a pop before its `return`.
.version 49 0
.class public T
.super java/lang/Object

.method static f(I)V
    .limit stack 5
    .limit locals 1
    .catch java/lang/ArithmeticException from Try to TryEnd using Caught
    lconst_1
    iload_0
    ifeq Else
    aconst_null
    goto Join
Else:
    ldc "else"
Join:
Try:
    iconst_1
    iload_0
    idiv
    pop
TryEnd:
    return
Caught:
    return
.end method
.end class

; expect:
; method T.f(I)V
;     .limit stack 5
;     .limit locals 1
;     .catch java/lang/ArithmeticException from L1 to L2 using L3
;     lconst_1
;     pop2
;     iload 0
;     ifeq L0
;     aconst_null
;     goto L1
; L0:
;     ldc "else"
; L1:
;     pop
;     iconst_1
;     iload 0
;     idiv
;     pop
; L2:
;     return
; L3:
;     pop
;     return
