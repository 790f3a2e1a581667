; pass: inline-subroutines
; Malformed subroutines, one per method: E_SUBROUTINE.
.version 49 0
.class public T
.super java/lang/Object

; S calls itself.
.method static recursive()V
    .limit stack 1
    .limit locals 1
    jsr S
    return
S:
    astore_0
    jsr S
    ret 0
.end method

; A ret with no subroutine around it.
.method static retInMain()V
    .limit stack 1
    .limit locals 1
    ret 0
.end method

; ret 2, but the return address is in local 1.
.method static wrongLocal()V
    .limit stack 1
    .limit locals 3
    jsr S
    return
S:
    astore_1
    ret 2
.end method

; S is both a jsr target and the target of a plain branch.
.method static enteredWithoutJsr(I)V
    .limit stack 1
    .limit locals 1
    iload_0
    ifeq S
    jsr S
    return
S:
    return
.end method
.end class

; expect:
; method T.recursive()V
; error E_SUBROUTINE: recursive subroutine at node 3
; method T.retInMain()V
; error E_SUBROUTINE: ret 0 at node 0 is not inside a subroutine
; method T.wrongLocal()V
; error E_SUBROUTINE: cannot determine which subroutine ret 2 at node 4 returns from
; method T.enteredWithoutJsr(I)V
; error E_SUBROUTINE: subroutine at node 5 is also reached without jsr
