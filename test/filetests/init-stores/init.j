; pass: init-stores
; options: max-size=64
; A version-53 constructor writing four final instance fields, each value computed
; by 20-odd bytes of code from the parameter (local 1), a local set before the
; first write (local 2) and, for F3, this.F0: only <init> may write them, so the putfields stay, and
; the code computing each value moves into a static piece that takes `this` only
; when it reads it, and the locals it reads, renumbered from 0. The code before
; super() and the segment setting local 2 (read later) stay in the constructor.
.version 53 0
.class public Fields
.super java/lang/Object
.field public final F0 I
.field public final F1 I
.field public final F2 I
.field public final F3 I

.method public <init>(I)V
    .limit stack 3
    .limit locals 3
    aload_0
    invokespecial java/lang/Object/<init>()V
    iload_1
    iconst_2
    imul
    istore_2
    aload_0
    iload_1
    sipush 0
    imul
    iconst_3
    iadd
    sipush 1
    imul
    iconst_3
    iadd
    sipush 2
    imul
    iconst_3
    iadd
    putfield Fields/F0 I
    aload_0
    iconst_2
    sipush 100
    imul
    iload_2
    iadd
    sipush 101
    imul
    iload_2
    iadd
    sipush 102
    imul
    iload_2
    iadd
    putfield Fields/F1 I
    aload_0
    iload_1
    sipush 200
    imul
    iload_2
    iadd
    sipush 201
    imul
    iload_2
    iadd
    sipush 202
    imul
    iload_2
    iadd
    putfield Fields/F2 I
    aload_0
    aload_0
    getfield Fields/F0 I
    sipush 300
    imul
    iload_2
    iadd
    sipush 301
    imul
    iload_2
    iadd
    sipush 302
    imul
    iload_2
    iadd
    putfield Fields/F3 I
    return
.end method

; expect:
; method Fields.<init>(I)V
; driver 58 bytes, 3 pieces (init$split$1 20, init$split$2 20, init$split$3 23), 0 cross edges, values as return values
; .method public <init>(I)V
;     .limit stack 3
;     .limit locals 3
;     aload 0
;     invokespecial java/lang/Object/<init>()V
;     iload 1
;     iconst_2
;     imul
;     istore 2
;     aload 0
;     iload 1
;     sipush 0
;     imul
;     iconst_3
;     iadd
;     sipush 1
;     imul
;     iconst_3
;     iadd
;     sipush 2
;     imul
;     iconst_3
;     iadd
;     putfield Fields/F0 I
;     aload 0
;     iload 2
;     invokestatic Fields/init$split$1(I)I
;     putfield Fields/F1 I
;     aload 0
;     iload 1
;     iload 2
;     invokestatic Fields/init$split$2(II)I
;     putfield Fields/F2 I
;     aload 0
;     aload 0
;     iload 2
;     invokestatic Fields/init$split$3(LFields;I)I
;     putfield Fields/F3 I
;     return
; .end method
;
; .method private static synthetic init$split$1(I)I
;     .limit stack 2
;     .limit locals 1
;     iconst_2
;     sipush 100
;     imul
;     iload 0
;     iadd
;     sipush 101
;     imul
;     iload 0
;     iadd
;     sipush 102
;     imul
;     iload 0
;     iadd
;     ireturn
; .end method
;
; .method private static synthetic init$split$2(II)I
;     .limit stack 2
;     .limit locals 2
;     iload 0
;     sipush 200
;     imul
;     iload 1
;     iadd
;     sipush 201
;     imul
;     iload 1
;     iadd
;     sipush 202
;     imul
;     iload 1
;     iadd
;     ireturn
; .end method
;
; .method private static synthetic init$split$3(LFields;I)I
;     .limit stack 2
;     .limit locals 2
;     aload 0
;     getfield Fields/F0 I
;     sipush 300
;     imul
;     iload 1
;     iadd
;     sipush 301
;     imul
;     iload 1
;     iadd
;     sipush 302
;     imul
;     iload 1
;     iadd
;     ireturn
; .end method
