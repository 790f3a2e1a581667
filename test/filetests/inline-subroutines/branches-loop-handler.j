; pass: inline-subroutines
; A subroutine with branches and a loop meeting at its ret, and a try/catch of its own:
; the handler row is duplicated per copy, with the copy's own handler code.
.version 49 0
.class public Main
.super java/lang/Object

; A subroutine called twice in a row, with branches and a loop meeting at its one
; ret, and a try/catch of its own (HotSpot's old verifier rejects a subroutine
; with two rets: "Multiple returns to single jsr").
.method static branches(I)Ljava/lang/String;
    .limit stack 2
    .limit locals 3
    .catch java/lang/NumberFormatException from P to Q using NFE
    jsr Sub
    jsr Sub
    ldc "branches done"
    areturn
Sub:
    astore_1
    iload_0
    ifeq Zero
    iconst_0
    istore_2
Loop:
    iload_2
    iload_0
    if_icmpge Ret
    ldc "loop"
    invokestatic Main/p(Ljava/lang/String;)V
    iinc 2 1
    goto Loop
Zero:
P:
    ldc "x"
    invokestatic java/lang/Integer/parseInt(Ljava/lang/String;)I
    pop
Q:
    goto Ret
NFE:
    pop
    ldc "nfe"
    invokestatic Main/p(Ljava/lang/String;)V
Ret:
    ret 1
.end method
.end class

; expect:
; method Main.branches(I)Ljava/lang/String;
;     .limit stack 2
;     .limit locals 3
;     .catch java/lang/NumberFormatException from L4 to L5 using L6
;     .catch java/lang/NumberFormatException from L10 to L11 using L12
;     goto L2
; L0:
;     goto L8
; L1:
;     ldc "branches done"
;     areturn
; L2:
;     iload 0
;     ifeq L4
;     iconst_0
;     istore 2
; L3:
;     iload 2
;     iload 0
;     if_icmpge L7
;     ldc "loop"
;     invokestatic Main/p(Ljava/lang/String;)V
;     iinc 2 1
;     goto L3
; L4:
;     ldc "x"
;     invokestatic java/lang/Integer/parseInt(Ljava/lang/String;)I
;     pop
; L5:
;     goto L7
; L6:
;     pop
;     ldc "nfe"
;     invokestatic Main/p(Ljava/lang/String;)V
; L7:
;     goto L0
; L8:
;     iload 0
;     ifeq L10
;     iconst_0
;     istore 2
; L9:
;     iload 2
;     iload 0
;     if_icmpge L13
;     ldc "loop"
;     invokestatic Main/p(Ljava/lang/String;)V
;     iinc 2 1
;     goto L9
; L10:
;     ldc "x"
;     invokestatic java/lang/Integer/parseInt(Ljava/lang/String;)I
;     pop
; L11:
;     goto L13
; L12:
;     pop
;     ldc "nfe"
;     invokestatic Main/p(Ljava/lang/String;)V
; L13:
;     goto L1
