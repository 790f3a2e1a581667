; pass: inline-subroutines
; try/finally compiled by javac 1.4: the finally subroutine is called from the early
; return, the normal exit and the catch-any handler; each call site gets its own copy
; (with line 14 and a row of the .var covering it), the astore of the return address
; is dropped and ret becomes a goto back to the instruction after the jsr.
.version 49 0
.class public Main
.super java/lang/Object

; try { if (x == 0) return "zero"; if (x == 1) throw new RuntimeException("boom"); p("body"); }
; finally { p("finally"); } return "done";   (jsr from the return, the normal exit and the catch-any handler)
.method static tryFinally(I)Ljava/lang/String;
    .limit stack 3
    .limit locals 4
    .var 0 is x I from Start to Last
    .catch all from Start to End using Any
Start:
    .line 10
    iload_0
    ifne NotZero
    ldc "zero"
    astore_1
    jsr Fin
    aload_1
    areturn
NotZero:
    .line 11
    iload_0
    iconst_1
    if_icmpne Body
    new java/lang/RuntimeException
    dup
    ldc "boom"
    invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
    athrow
Body:
    .line 12
    ldc "body"
    invokestatic Main/p(Ljava/lang/String;)V
End:
    jsr Fin
    ldc "done"
    areturn
Any:
    astore_2
    jsr Fin
    aload_2
    athrow
Fin:
    .line 14
    astore_3
    ldc "finally"
    invokestatic Main/p(Ljava/lang/String;)V
    ret 3
Last:
.end method
.end class

; expect:
; method Main.tryFinally(I)Ljava/lang/String;
;     .limit stack 3
;     .limit locals 4
;     .catch all from L0 to L4 using L6
;     .var 0 is x I from L0 to L8
;     .var 0 is x I from L8 to L9
;     .var 0 is x I from L9 to L10
;     .var 0 is x I from L10 to L11
; L0:
;     .line 10
;     iload 0
;     ifne L2
;     ldc "zero"
;     astore 1
;     goto L8
; L1:
;     aload 1
;     areturn
; L2:
;     .line 11
;     iload 0
;     iconst_1
;     if_icmpne L3
;     new java/lang/RuntimeException
;     dup
;     ldc "boom"
;     invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
;     athrow
; L3:
;     .line 12
;     ldc "body"
;     invokestatic Main/p(Ljava/lang/String;)V
; L4:
;     goto L9
; L5:
;     ldc "done"
;     areturn
; L6:
;     astore 2
;     goto L10
; L7:
;     aload 2
;     athrow
; L8:
;     .line 14
;     ldc "finally"
;     invokestatic Main/p(Ljava/lang/String;)V
;     goto L1
; L9:
;     .line 14
;     ldc "finally"
;     invokestatic Main/p(Ljava/lang/String;)V
;     goto L5
; L10:
;     .line 14
;     ldc "finally"
;     invokestatic Main/p(Ljava/lang/String;)V
;     goto L7
; L11:
