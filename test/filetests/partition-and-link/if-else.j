; pass: partition-and-link
; options: max-size=112
; The registered partition-and-link pass alone on the method of link-auto/if-else.j:
; the same driver and pieces, without the synthetic call-site lines a class split adds.
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
    iload 2
    sipush 100
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 101
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 102
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 103
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 104
    iadd
    iload_0
    imul
    istore 2
    goto Done
Neg:
    iload 2
    sipush 200
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 201
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 202
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 203
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 204
    iadd
    iload_0
    imul
    istore 2
Done:
    iload 2
    sipush 300
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 301
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 302
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 303
    iadd
    iload_0
    imul
    istore 2
    iload 2
    sipush 304
    iadd
    iload_0
    imul
    istore 2
    iload_2
    ireturn
.end method

; expect:
; method Branches.g(II)I
; driver 72 bytes, 2 pieces (g$split$1 56, g$split$2 45), 3 cross edges, values as parameters
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
;     invokestatic Branches/g$split$1(III)I
;     ireturn
; L4:
;     .stack same
;     iload 0
;     iconst_0
;     iload 2
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
