; Hello.j: the smallest runnable class, in plain Jasmin.
; Assemble:  megasplit asm samples/Hello.j -o out/   then   java -cp out Hello
; No .version: Jasmin's defaults apply (class version 45.3, ACC_SUPER).

.source Hello.j
.class public Hello
.super java/lang/Object

.method public <init>()V
    aload_0
    invokespecial java/lang/Object/<init>()V
    return
.end method

.method public static main([Ljava/lang/String;)V
    .limit stack 2
    .limit locals 1
    getstatic java/lang/System/out Ljava/io/PrintStream;
    ldc "Hello, world!"
    invokevirtual java/io/PrintStream/println(Ljava/lang/String;)V
    return
.end method
