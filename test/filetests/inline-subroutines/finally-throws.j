; pass: inline-subroutines
; A subroutine that never returns (no ret, it ends in athrow): the jsr sites become
; gotos; the code after them stays but is unreachable.
.version 49 0
.class public Main
.super java/lang/Object

; try { p("body"); if (x == 0) return "early"; } finally { p("finally throws"); throw new IllegalStateException("from finally"); }
; The subroutine never returns: no ret, it ends in athrow.
.method static finallyThrows(I)Ljava/lang/String;
    .limit stack 3
    .limit locals 3
    .catch all from A to B using Any
A:
    ldc "body"
    invokestatic Main/p(Ljava/lang/String;)V
    iload_0
    ifne B
    ldc "early"
    astore_1
    jsr Fin
    aload_1
    areturn
B:
    jsr Fin
    ldc "late"
    areturn
Any:
    astore_1
    jsr Fin
    aload_1
    athrow
Fin:
    astore_2
    ldc "finally throws"
    invokestatic Main/p(Ljava/lang/String;)V
    new java/lang/IllegalStateException
    dup
    ldc "from finally"
    invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
    athrow
.end method
.end class

; expect:
; method Main.finallyThrows(I)Ljava/lang/String;
;     .limit stack 3
;     .limit locals 3
;     .catch all from L0 to L1 using L2
; L0:
;     ldc "body"
;     invokestatic Main/p(Ljava/lang/String;)V
;     iload 0
;     ifne L1
;     ldc "early"
;     astore 1
;     goto L3
;     aload 1
;     areturn
; L1:
;     goto L4
;     ldc "late"
;     areturn
; L2:
;     astore 1
;     goto L5
;     aload 1
;     athrow
; L3:
;     ldc "finally throws"
;     invokestatic Main/p(Ljava/lang/String;)V
;     new java/lang/IllegalStateException
;     dup
;     ldc "from finally"
;     invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
;     athrow
; L4:
;     ldc "finally throws"
;     invokestatic Main/p(Ljava/lang/String;)V
;     new java/lang/IllegalStateException
;     dup
;     ldc "from finally"
;     invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
;     athrow
; L5:
;     ldc "finally throws"
;     invokestatic Main/p(Ljava/lang/String;)V
;     new java/lang/IllegalStateException
;     dup
;     ldc "from finally"
;     invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
;     athrow
