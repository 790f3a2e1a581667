; pass: partition
; options: max-size=192
; A loop with an if/else in it and code after it, about 130 bytes, at a limit of
; 128: the partition's first attempt. Blocks are listed with their upper-bound size
; and heap-frame stub costs (entry: a switch case and the loads of the live locals
; from the frame arrays; exit: a code push and a goto; the group: the stores of the
; live locals and the return, paid once per piece per group of exits that save the
; same values). Piece 0 (the driver) also pays the driver overhead.
.version 52 0
.class public Branches
.super java/lang/Object

.method public static f(II)I
    .limit stack 2
    .limit locals 4
    iconst_0
    istore_2
    iconst_0
    istore_3
Loop:
    iload_3
    iload_1
    if_icmpge Done
    iload_0
    ifle Neg
    iload_2
    sipush 100
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 101
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 102
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 103
    iadd
    iload_0
    imul
    istore_2
    goto Next
Neg:
    iload_2
    sipush 200
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 201
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 202
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 203
    iadd
    iload_0
    imul
    istore_2
Next:
    iinc 3 1
    goto Loop
Done:
    iload_2
    sipush 300
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 301
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 302
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 303
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 304
    iadd
    iload_0
    imul
    istore_2
    iload_2
    sipush 305
    iadd
    iload_0
    imul
    istore_2
    iload_2
    ireturn
.end method

; expect:
; method Branches.f(II)I
; b0: iconst_0 .. istore 3  size 4 entry 21 exit 8 group 0 (32)
; b1 L0: iload 3 .. if_icmpge L3  size 10 entry 33 exit 8 group 1 (44)
; b2: iload 0 .. ifle L1  size 9 entry 33 exit 8 group 1 (44)
; b3: iload 2 .. goto L2  size 37 entry 33 exit 8 group 1 (44)
; b4 L1: iload 2 .. istore 2  size 32 entry 33 exit 8 group 1 (44)
; b5 L2: iinc 3 1 .. goto L0  size 8 entry 33 exit 8 group 1 (44)
; b6 L3: iload 2 .. ireturn  size 50 entry 21 exit 8 group 2 (32)
; piece 0 (estimated 152 bytes): 
; piece 1 (estimated 188 bytes): b0 b1
; piece 2 (estimated 114 bytes): b6
; piece 3 (estimated 171 bytes): b2 b4
; piece 4 (estimated 158 bytes): b3
; piece 5 (estimated 117 bytes): b5
; cross edges 6
