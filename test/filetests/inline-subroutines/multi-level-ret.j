; pass: inline-subroutines
; ret 1 in Inner returns from Outer, through both subroutines (JVMS 4.10.2.5): the
; copy of Inner jumps to the return point of Outer's jsr in main code.
.version 49 0
.class public Main
.super java/lang/Object

; A ret in a nested subroutine returning from the outer one (JVMS 4.10.2.5 allows
; returning through several subroutines at once).
.method static multiLevel(I)Ljava/lang/String;
    .limit stack 2
    .limit locals 3
    jsr Outer
    ldc "multi done"
    areturn
Outer:
    astore_1
    ldc "outer"
    invokestatic Main/p(Ljava/lang/String;)V
    jsr Inner
    ldc "never"
    invokestatic Main/p(Ljava/lang/String;)V
    ret 1
Inner:
    astore_2
    ldc "inner"
    invokestatic Main/p(Ljava/lang/String;)V
    ret 1
.end method
.end class

; expect:
; method Main.multiLevel(I)Ljava/lang/String;
;     .limit stack 2
;     .limit locals 3
;     goto L1
; L0:
;     ldc "multi done"
;     areturn
; L1:
;     ldc "outer"
;     invokestatic Main/p(Ljava/lang/String;)V
;     goto L2
;     ldc "never"
;     invokestatic Main/p(Ljava/lang/String;)V
;     goto L0
; L2:
;     ldc "inner"
;     invokestatic Main/p(Ljava/lang/String;)V
;     goto L0
