; pass: init-stores
; options: max-size=64
; A version-53 constructor writing three final int fields after super(), each
; value computed from the parameter by 21 bytes of code: the putfields stay in
; <init>; the first value's code stays too (its segment holds the super() call);
; the others move into static pieces that take what they read (only the int
; parameter: `this` is pushed for the putfield in <init>) and return the value.
.version 53 0
.class public Inits
.super java/lang/Object
.field private final f0 I
.field private final f1 I
.field private final f2 I

.method public <init>(I)V
    .limit stack 3
    .limit locals 2
    aload_0
    invokespecial java/lang/Object/<init>()V
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
    sipush 3
    imul
    iconst_3
    iadd
    putfield Inits/f0 I
    aload_0
    iload_1
    sipush 100
    imul
    iconst_3
    iadd
    sipush 101
    imul
    iconst_3
    iadd
    sipush 102
    imul
    iconst_3
    iadd
    sipush 103
    imul
    iconst_3
    iadd
    putfield Inits/f1 I
    aload_0
    iload_1
    sipush 200
    imul
    iconst_3
    iadd
    sipush 201
    imul
    iconst_3
    iadd
    sipush 202
    imul
    iconst_3
    iadd
    sipush 203
    imul
    iconst_3
    iadd
    putfield Inits/f2 I
    return
.end method

; expect:
; method Inits.<init>(I)V
; driver 50 bytes, 2 pieces (init$split$1 26, init$split$2 26), 0 cross edges, values as return values
; .method public <init>(I)V
;     .limit stack 3
;     .limit locals 2
;     aload 0
;     invokespecial java/lang/Object/<init>()V
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
;     sipush 3
;     imul
;     iconst_3
;     iadd
;     putfield Inits/f0 I
;     aload 0
;     iload 1
;     invokestatic Inits/init$split$1(I)I
;     putfield Inits/f1 I
;     aload 0
;     iload 1
;     invokestatic Inits/init$split$2(I)I
;     putfield Inits/f2 I
;     return
; .end method
;
; .method private static synthetic init$split$1(I)I
;     .limit stack 2
;     .limit locals 1
;     iload 0
;     sipush 100
;     imul
;     iconst_3
;     iadd
;     sipush 101
;     imul
;     iconst_3
;     iadd
;     sipush 102
;     imul
;     iconst_3
;     iadd
;     sipush 103
;     imul
;     iconst_3
;     iadd
;     ireturn
; .end method
;
; .method private static synthetic init$split$2(I)I
;     .limit stack 2
;     .limit locals 1
;     iload 0
;     sipush 200
;     imul
;     iconst_3
;     iadd
;     sipush 201
;     imul
;     iconst_3
;     iadd
;     sipush 202
;     imul
;     iconst_3
;     iadd
;     sipush 203
;     imul
;     iconst_3
;     iadd
;     ireturn
; .end method
