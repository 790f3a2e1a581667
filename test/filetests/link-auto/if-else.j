; pass: link-auto
; options: max-size=112
; An if/else and the code after it, 130 bytes, split at 112 in link mode auto. The
; positive branch goes to g$split$1, the code after the join to g$split$2; live values
; travel as parameters (a, a zero for the dead b, acc), every transfer a tail call.
.version 52 0
.class public Branches
.super java/lang/Object

.method public static g(II)I
    .limit stack 2
    .limit locals 3
    iload_1
    istore_2
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
    iload_2
    sipush 104
    iadd
    iload_0
    imul
    istore_2
    goto Done
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
    iload_2
    sipush 204
    iadd
    iload_0
    imul
    istore_2
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
    ireturn
.end method

; expect:
; method Branches.g(II)I
; split: driver 72 bytes, 2 pieces, values as parameters
; .method public static g(II)I
;     .limit stack 3
;     .limit locals 3
;     iload 1
;     istore 2
;     iload 0
;     ifle L0
;     goto L1
; L0:
;     .stack append Integer
;     iload 2
;     sipush 200
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 201
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 202
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 203
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 204
;     iadd
;     iload 0
;     imul
;     istore 2
;     goto L2
; L1:
;     .stack same
;     goto L3
; L2:
;     .stack same
;     goto L4
; L3:
;     .stack same
;     iload 0
;     iconst_0
;     iload 2
;     .line 2
;     invokestatic Branches/g$split$1(III)I
;     ireturn
; L4:
;     .stack same
;     iload 0
;     iconst_0
;     iload 2
;     .line 3
;     invokestatic Branches/g$split$2(III)I
;     ireturn
; .end method
;
; .method private static synthetic g$split$1(III)I
;     .limit stack 3
;     .limit locals 3
;     goto L0
; L0:
;     .stack same
;     iload 2
;     sipush 100
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 101
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 102
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 103
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 104
;     iadd
;     iload 0
;     imul
;     istore 2
;     goto L1
; L1:
;     .stack same
;     goto L2
; L2:
;     .stack same
;     iload 0
;     iconst_0
;     iload 2
;     .line 1
;     invokestatic Branches/g$split$2(III)I
;     ireturn
; .end method
;
; .method private static synthetic g$split$2(III)I
;     .limit stack 2
;     .limit locals 3
;     goto L0
; L0:
;     .stack same
;     iload 2
;     sipush 300
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 301
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 302
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 303
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     sipush 304
;     iadd
;     iload 0
;     imul
;     istore 2
;     iload 2
;     ireturn
; .end method
