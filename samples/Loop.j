; Loop.j: a counted loop, a tableswitch and a try/catch, in plain Jasmin.
; No .limit lines: the assembler computes max_stack and max_locals.
; Prints: zero, one, two, many, then "caught / by zero".

.class public Loop
.super java/lang/Object

.method public static main([Ljava/lang/String;)V
    ; for (int i = 0; i < 4; i++) System.out.println(name(i));
    iconst_0
    istore_1
Test:
    iload_1
    iconst_4
    if_icmpge Done
    getstatic java/lang/System/out Ljava/io/PrintStream;
    iload_1
    invokestatic Loop/name(I)Ljava/lang/String;
    invokevirtual java/io/PrintStream/println(Ljava/lang/String;)V
    iinc 1 1
    goto Test
Done:
    ; try { 1 / 0; } catch (ArithmeticException e) { System.out.println("caught " + e.getMessage()); }
    .catch java/lang/ArithmeticException from TryStart to TryEnd using Caught
TryStart:
    iconst_1
    iconst_0
    idiv
    pop
TryEnd:
    return
Caught:
    astore_1
    getstatic java/lang/System/out Ljava/io/PrintStream;
    new java/lang/StringBuilder
    dup
    ldc "caught "
    invokespecial java/lang/StringBuilder/<init>(Ljava/lang/String;)V
    aload_1
    invokevirtual java/lang/Throwable/getMessage()Ljava/lang/String;
    invokevirtual java/lang/StringBuilder/append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invokevirtual java/lang/StringBuilder/toString()Ljava/lang/String;
    invokevirtual java/io/PrintStream/println(Ljava/lang/String;)V
    return
.end method

.method static name(I)Ljava/lang/String;
    iload_0
    tableswitch 0 2
        Zero
        One
        Two
        default : Many
Zero:
    ldc "zero"
    areturn
One:
    ldc "one"
    areturn
Two:
    ldc "two"
    areturn
Many:
    ldc "many"
    areturn
.end method
