; Fib.j: the extended syntax the disassembler writes. A version 52 class needs
; stack-map frames (.stack) at branch targets; the string is built by
; invokedynamic with its bootstrap method and arguments written inline.
; Prints: fib(50) = 12586269025

.version 52 0
.class public super Fib
.super java/lang/Object

.method public static main([Ljava/lang/String;)V
    .limit stack 5
    .limit locals 6
    lconst_0
    lstore_1                 ; a = 0
    lconst_1
    lstore_3                 ; b = 1
    iconst_0
    istore 5                 ; i = 0
Loop:
    .stack append Long Long Integer
    iload 5
    bipush 50
    if_icmpge Done
    lload_1
    lload_3
    ladd
    lload_3
    lstore_1                 ; a = b
    lstore_3                 ; b = a + b
    iinc 5 1
    goto Loop
Done:
    .stack same
    getstatic java/lang/System/out Ljava/io/PrintStream;
    lload_1
    invokedynamic makeConcatWithConstants(J)Ljava/lang/String; invokestatic java/lang/invoke/StringConcatFactory/makeConcatWithConstants(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/String;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite; { "fib(50) = \u0001" }
    invokevirtual java/io/PrintStream/println(Ljava/lang/String;)V
    return
.end method
.end class
