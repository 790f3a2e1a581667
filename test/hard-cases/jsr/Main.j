; Hard case 7: a version-49 class whose try/finally is compiled the old way, with
; jsr to a finally subroutine and ret (javac stopped emitting jsr/ret at version 50,
; so this is Jasmin). run(where) raises an exception at one of 16 points spread over
; a long try body: IllegalStateException is caught by the catch handler, any other
; exception runs the finally subroutine from the catch-all handler and propagates.
; A small second subroutine is called from a loop. The method is long enough to be
; cut into several pieces (the splitter inlines the subroutines first). main prints
; what each call printed, returned or threw. See test/split-hard-cases.test.ts.

.version 49 0
.source Main.j
.class public super jsr/Main
.super java/lang/Object

; locals: 0 where, 1 acc, 2 exception, 3 return address (finally), 4 trail, 5 loop k, 6 return address (step)
.method public static run(I)I
    .limit stack 6
    .limit locals 7
    .catch java/lang/IllegalStateException from Try to TryEnd using Catch
    .catch all from Try to TryEnd using Any
    .catch all from Catch to CatchEnd using Any
    iload_0
    istore_1
    iconst_0
    istore 4
Try:
    iload 1
    bipush 31
    imul
    sipush 0
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 1
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 2
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 3
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 4
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 0
    if_icmpne Skip0
    new java/lang/IllegalStateException
    dup
    ldc "ise at point 0"
    invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
    athrow
Skip0:
    iload 1
    bipush 31
    imul
    sipush 50
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 51
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 52
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 53
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 54
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 1
    if_icmpne Skip1
    new java/lang/IllegalArgumentException
    dup
    ldc "iae at point 1"
    invokespecial java/lang/IllegalArgumentException/<init>(Ljava/lang/String;)V
    athrow
Skip1:
    iload 1
    bipush 31
    imul
    sipush 100
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 101
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 102
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 103
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 104
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 2
    if_icmpne Skip2
    iload_1
    iconst_0
    idiv
    istore_1
Skip2:
    iload 1
    bipush 31
    imul
    sipush 150
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 151
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 152
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 153
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 154
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 3
    if_icmpne Skip3
    new java/lang/IllegalStateException
    dup
    ldc "ise at point 3"
    invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
    athrow
Skip3:
    iload 1
    bipush 31
    imul
    sipush 200
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 201
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 202
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 203
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 204
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 4
    if_icmpne Skip4
    new java/lang/IllegalArgumentException
    dup
    ldc "iae at point 4"
    invokespecial java/lang/IllegalArgumentException/<init>(Ljava/lang/String;)V
    athrow
Skip4:
    iload 1
    bipush 31
    imul
    sipush 250
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 251
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 252
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 253
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 254
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 5
    if_icmpne Skip5
    iload_1
    iconst_0
    idiv
    istore_1
Skip5:
    iload 1
    bipush 31
    imul
    sipush 300
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 301
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 302
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 303
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 304
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 6
    if_icmpne Skip6
    new java/lang/IllegalStateException
    dup
    ldc "ise at point 6"
    invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
    athrow
Skip6:
    iload 1
    bipush 31
    imul
    sipush 350
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 351
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 352
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 353
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 354
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 7
    if_icmpne Skip7
    new java/lang/IllegalArgumentException
    dup
    ldc "iae at point 7"
    invokespecial java/lang/IllegalArgumentException/<init>(Ljava/lang/String;)V
    athrow
Skip7:
    iload 1
    bipush 31
    imul
    sipush 400
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 401
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 402
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 403
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 404
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 8
    if_icmpne Skip8
    iload_1
    iconst_0
    idiv
    istore_1
Skip8:
    iconst_0
    istore 5
Loop:
    jsr Step
    iinc 5 1
    iload 5
    iconst_3
    if_icmplt Loop
    iload 1
    bipush 31
    imul
    sipush 450
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 451
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 452
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 453
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 454
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 9
    if_icmpne Skip9
    new java/lang/IllegalStateException
    dup
    ldc "ise at point 9"
    invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
    athrow
Skip9:
    iload 1
    bipush 31
    imul
    sipush 500
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 501
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 502
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 503
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 504
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 10
    if_icmpne Skip10
    new java/lang/IllegalArgumentException
    dup
    ldc "iae at point 10"
    invokespecial java/lang/IllegalArgumentException/<init>(Ljava/lang/String;)V
    athrow
Skip10:
    iload 1
    bipush 31
    imul
    sipush 550
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 551
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 552
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 553
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 554
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 11
    if_icmpne Skip11
    iload_1
    iconst_0
    idiv
    istore_1
Skip11:
    iload 1
    bipush 31
    imul
    sipush 600
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 601
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 602
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 603
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 604
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 12
    if_icmpne Skip12
    new java/lang/IllegalStateException
    dup
    ldc "ise at point 12"
    invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
    athrow
Skip12:
    iload 1
    bipush 31
    imul
    sipush 650
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 651
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 652
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 653
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 654
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 13
    if_icmpne Skip13
    new java/lang/IllegalArgumentException
    dup
    ldc "iae at point 13"
    invokespecial java/lang/IllegalArgumentException/<init>(Ljava/lang/String;)V
    athrow
Skip13:
    iload 1
    bipush 31
    imul
    sipush 700
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 701
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 702
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 703
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 704
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 14
    if_icmpne Skip14
    iload_1
    iconst_0
    idiv
    istore_1
Skip14:
    iload 1
    bipush 31
    imul
    sipush 750
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 751
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 752
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    iload 1
    bipush 34
    imul
    sipush 753
    iadd
    iload 1
    iconst_4
    iushr
    ixor
    istore 1
    iload 1
    bipush 35
    imul
    sipush 754
    iadd
    iload 1
    iconst_5
    iushr
    ixor
    istore 1
    iload_0
    bipush 15
    if_icmpne Skip15
    new java/lang/IllegalStateException
    dup
    ldc "ise at point 15"
    invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
    athrow
Skip15:
TryEnd:
    jsr Finally
    goto Done
Catch:
    astore_2
    getstatic java/lang/System/out Ljava/io/PrintStream;
    ldc " caught "
    invokevirtual java/io/PrintStream/print(Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    aload_2
    invokevirtual java/lang/Throwable/getMessage()Ljava/lang/String;
    invokevirtual java/io/PrintStream/print(Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    ldc " acc="
    invokevirtual java/io/PrintStream/print(Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    iload 1
    invokevirtual java/io/PrintStream/print(I)V
    iload 4
    bipush 31
    imul
    sipush 2000
    iadd
    iload 4
    iconst_1
    iushr
    ixor
    istore 4
    iload 4
    bipush 32
    imul
    sipush 2001
    iadd
    iload 4
    iconst_2
    iushr
    ixor
    istore 4
    iload 4
    bipush 33
    imul
    sipush 2002
    iadd
    iload 4
    iconst_3
    iushr
    ixor
    istore 4
    iload 4
    bipush 34
    imul
    sipush 2003
    iadd
    iload 4
    iconst_4
    iushr
    ixor
    istore 4
    iload 4
    bipush 35
    imul
    sipush 2004
    iadd
    iload 4
    iconst_5
    iushr
    ixor
    istore 4
    iload 4
    bipush 36
    imul
    sipush 2005
    iadd
    iload 4
    iconst_1
    iushr
    ixor
    istore 4
    iload 4
    bipush 37
    imul
    sipush 2006
    iadd
    iload 4
    iconst_2
    iushr
    ixor
    istore 4
    iload 4
    bipush 38
    imul
    sipush 2007
    iadd
    iload 4
    iconst_3
    iushr
    ixor
    istore 4
    iload 4
    bipush 39
    imul
    sipush 2008
    iadd
    iload 4
    iconst_4
    iushr
    ixor
    istore 4
    iload 4
    bipush 40
    imul
    sipush 2009
    iadd
    iload 4
    iconst_5
    iushr
    ixor
    istore 4
    iload 4
    bipush 41
    imul
    sipush 2010
    iadd
    iload 4
    iconst_1
    iushr
    ixor
    istore 4
    iload 4
    bipush 42
    imul
    sipush 2011
    iadd
    iload 4
    iconst_2
    iushr
    ixor
    istore 4
    jsr Finally
CatchEnd:
    goto Done
Any:
    astore_2
    jsr Finally
    aload_2
    athrow
Finally:
    astore_3
    getstatic java/lang/System/out Ljava/io/PrintStream;
    ldc " finally acc="
    invokevirtual java/io/PrintStream/print(Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    iload 1
    invokevirtual java/io/PrintStream/print(I)V
    iload 4
    bipush 31
    imul
    sipush 3000
    iadd
    iload 4
    iconst_1
    iushr
    ixor
    istore 4
    iload 4
    bipush 32
    imul
    sipush 3001
    iadd
    iload 4
    iconst_2
    iushr
    ixor
    istore 4
    iload 4
    bipush 33
    imul
    sipush 3002
    iadd
    iload 4
    iconst_3
    iushr
    ixor
    istore 4
    iload 4
    bipush 34
    imul
    sipush 3003
    iadd
    iload 4
    iconst_4
    iushr
    ixor
    istore 4
    iload 4
    bipush 35
    imul
    sipush 3004
    iadd
    iload 4
    iconst_5
    iushr
    ixor
    istore 4
    iload 4
    bipush 36
    imul
    sipush 3005
    iadd
    iload 4
    iconst_1
    iushr
    ixor
    istore 4
    iload 4
    bipush 37
    imul
    sipush 3006
    iadd
    iload 4
    iconst_2
    iushr
    ixor
    istore 4
    iload 4
    bipush 38
    imul
    sipush 3007
    iadd
    iload 4
    iconst_3
    iushr
    ixor
    istore 4
    iload 4
    bipush 39
    imul
    sipush 3008
    iadd
    iload 4
    iconst_4
    iushr
    ixor
    istore 4
    iload 4
    bipush 40
    imul
    sipush 3009
    iadd
    iload 4
    iconst_5
    iushr
    ixor
    istore 4
    iload 4
    bipush 41
    imul
    sipush 3010
    iadd
    iload 4
    iconst_1
    iushr
    ixor
    istore 4
    iload 4
    bipush 42
    imul
    sipush 3011
    iadd
    iload 4
    iconst_2
    iushr
    ixor
    istore 4
    iload 4
    bipush 43
    imul
    sipush 3012
    iadd
    iload 4
    iconst_3
    iushr
    ixor
    istore 4
    iload 4
    bipush 44
    imul
    sipush 3013
    iadd
    iload 4
    iconst_4
    iushr
    ixor
    istore 4
    iload 4
    bipush 45
    imul
    sipush 3014
    iadd
    iload 4
    iconst_5
    iushr
    ixor
    istore 4
    iload 4
    bipush 46
    imul
    sipush 3015
    iadd
    iload 4
    iconst_1
    iushr
    ixor
    istore 4
    iload 4
    bipush 47
    imul
    sipush 3016
    iadd
    iload 4
    iconst_2
    iushr
    ixor
    istore 4
    iload 4
    bipush 48
    imul
    sipush 3017
    iadd
    iload 4
    iconst_3
    iushr
    ixor
    istore 4
    iload 4
    bipush 49
    imul
    sipush 3018
    iadd
    iload 4
    iconst_4
    iushr
    ixor
    istore 4
    iload 4
    bipush 50
    imul
    sipush 3019
    iadd
    iload 4
    iconst_5
    iushr
    ixor
    istore 4
    getstatic java/lang/System/out Ljava/io/PrintStream;
    ldc " trail="
    invokevirtual java/io/PrintStream/print(Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    iload 4
    invokevirtual java/io/PrintStream/print(I)V
    ret 3
Step:
    astore 6
    iload 1
    bipush 31
    imul
    sipush 4500
    iadd
    iload 1
    iconst_1
    iushr
    ixor
    istore 1
    iload 1
    bipush 32
    imul
    sipush 4501
    iadd
    iload 1
    iconst_2
    iushr
    ixor
    istore 1
    iload 1
    bipush 33
    imul
    sipush 4502
    iadd
    iload 1
    iconst_3
    iushr
    ixor
    istore 1
    getstatic java/lang/System/out Ljava/io/PrintStream;
    ldc " step"
    invokevirtual java/io/PrintStream/print(Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    iload 5
    invokevirtual java/io/PrintStream/print(I)V
    ret 6
Done:
    iload_1
    iload 4
    ixor
    ireturn
.end method

.method public static main([Ljava/lang/String;)V
    .limit stack 4
    .limit locals 3
    .catch java/lang/RuntimeException from CallStart to CallEnd using Threw
    iconst_m1
    istore_1
Next:
    getstatic java/lang/System/out Ljava/io/PrintStream;
    ldc "where="
    invokevirtual java/io/PrintStream/print(Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    iload 1
    invokevirtual java/io/PrintStream/print(I)V
CallStart:
    iload_1
    invokestatic jsr/Main/run(I)I
    istore_2
CallEnd:
    getstatic java/lang/System/out Ljava/io/PrintStream;
    ldc " | returned "
    invokevirtual java/io/PrintStream/print(Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    iload 2
    invokevirtual java/io/PrintStream/print(I)V
    goto Line
Threw:
    astore_2
    getstatic java/lang/System/out Ljava/io/PrintStream;
    ldc " | threw "
    invokevirtual java/io/PrintStream/print(Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    aload_2
    invokevirtual java/lang/Object/toString()Ljava/lang/String;
    invokevirtual java/io/PrintStream/print(Ljava/lang/String;)V
Line:
    getstatic java/lang/System/out Ljava/io/PrintStream;
    invokevirtual java/io/PrintStream/println()V
    iinc 1 1
    iload_1
    bipush 18
    if_icmplt Next
    return
.end method
.end class
