; pass: inline-subroutines
; A subroutine that starts with pop, not astore: the jsr becomes aconst_null + goto so
; the pop has its operand.
.version 49 0
.class public Main
.super java/lang/Object

; A subroutine whose first instruction is not astore: it pops its return address
; and throws, so the inlined jsr pushes a placeholder for the pop.
.method static popper(I)Ljava/lang/String;
    .limit stack 3
    .limit locals 1
    iload_0
    iconst_2
    if_icmpne Skip
    jsr Thrower
Skip:
    ldc "no throw"
    areturn
Thrower:
    pop
    new java/lang/RuntimeException
    dup
    ldc "thrower"
    invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
    athrow
.end method
.end class

; expect:
; method Main.popper(I)Ljava/lang/String;
;     .limit stack 3
;     .limit locals 1
;     iload 0
;     iconst_2
;     if_icmpne L0
;     aconst_null
;     goto L1
; L0:
;     ldc "no throw"
;     areturn
; L1:
;     pop
;     new java/lang/RuntimeException
;     dup
;     ldc "thrower"
;     invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
;     athrow
