; pass: inline-subroutines
; A finally inside a finally: Fin1 holds a try/finally whose catch-any handler
; (Any2) is part of Fin1, so each copy of Fin1 gets its own handler row and handler
; code, and Fin2 is copied once per call site inside each copy of Fin1 (4 copies).
.version 49 0
.class public Main
.super java/lang/Object

; try { p("try"); if (x == 1) throw new RuntimeException("n1"); }
; finally { try { p("outer finally"); if (x == 2) throw new RuntimeException("n2"); } finally { p("inner finally"); } }
; return "nested done";   (the inner try/finally, with its own handler, lives in the outer subroutine)
.method static nested(I)Ljava/lang/String;
    .limit stack 3
    .limit locals 5
    .catch all from A to B using Any1
    .catch all from C to D using Any2
A:
    ldc "try"
    invokestatic Main/p(Ljava/lang/String;)V
    iload_0
    iconst_1
    if_icmpne B
    new java/lang/RuntimeException
    dup
    ldc "n1"
    invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
    athrow
B:
    jsr Fin1
    ldc "nested done"
    areturn
Any1:
    astore_1
    jsr Fin1
    aload_1
    athrow
Fin1:
    astore_2
C:
    ldc "outer finally"
    invokestatic Main/p(Ljava/lang/String;)V
    iload_0
    iconst_2
    if_icmpne D
    new java/lang/RuntimeException
    dup
    ldc "n2"
    invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
    athrow
D:
    jsr Fin2
    ret 2
Any2:
    astore_3
    jsr Fin2
    aload_3
    athrow
Fin2:
    astore 4
    ldc "inner finally"
    invokestatic Main/p(Ljava/lang/String;)V
    ret 4
.end method
.end class

; expect:
; method Main.nested(I)Ljava/lang/String;
;     .limit stack 3
;     .limit locals 5
;     .catch all from L0 to L1 using L3
;     .catch all from L5 to L6 using L8
;     .catch all from L10 to L11 using L13
; L0:
;     ldc "try"
;     invokestatic Main/p(Ljava/lang/String;)V
;     iload 0
;     iconst_1
;     if_icmpne L1
;     new java/lang/RuntimeException
;     dup
;     ldc "n1"
;     invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
;     athrow
; L1:
;     goto L5
; L2:
;     ldc "nested done"
;     areturn
; L3:
;     astore 1
;     goto L10
; L4:
;     aload 1
;     athrow
; L5:
;     ldc "outer finally"
;     invokestatic Main/p(Ljava/lang/String;)V
;     iload 0
;     iconst_2
;     if_icmpne L6
;     new java/lang/RuntimeException
;     dup
;     ldc "n2"
;     invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
;     athrow
; L6:
;     goto L15
; L7:
;     goto L2
; L8:
;     astore 3
;     goto L16
; L9:
;     aload 3
;     athrow
; L10:
;     ldc "outer finally"
;     invokestatic Main/p(Ljava/lang/String;)V
;     iload 0
;     iconst_2
;     if_icmpne L11
;     new java/lang/RuntimeException
;     dup
;     ldc "n2"
;     invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
;     athrow
; L11:
;     goto L17
; L12:
;     goto L4
; L13:
;     astore 3
;     goto L18
; L14:
;     aload 3
;     athrow
; L15:
;     ldc "inner finally"
;     invokestatic Main/p(Ljava/lang/String;)V
;     goto L7
; L16:
;     ldc "inner finally"
;     invokestatic Main/p(Ljava/lang/String;)V
;     goto L9
; L17:
;     ldc "inner finally"
;     invokestatic Main/p(Ljava/lang/String;)V
;     goto L12
; L18:
;     ldc "inner finally"
;     invokestatic Main/p(Ljava/lang/String;)V
;     goto L14
