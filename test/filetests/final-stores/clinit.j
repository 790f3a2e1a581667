; pass: final-stores
; options: max-size=64
; A version-53 <clinit> writing four final static fields, each value computed by
; 21 bytes of code: only <clinit> may write them, so the putstatics stay and the
; code computing the values moves into pieces that return them.
.version 53 0
.class public Finals
.super java/lang/Object
.field public static final F0 I
.field public static final F1 I
.field public static final F2 I
.field public static final F3 I

.method static <clinit>()V
    .limit stack 2
    .limit locals 0
    iconst_1
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
    putstatic Finals/F0 I
    iconst_2
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
    putstatic Finals/F1 I
    iconst_3
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
    putstatic Finals/F2 I
    iconst_4
    sipush 300
    imul
    iconst_3
    iadd
    sipush 301
    imul
    iconst_3
    iadd
    sipush 302
    imul
    iconst_3
    iadd
    sipush 303
    imul
    iconst_3
    iadd
    putstatic Finals/F3 I
    return
.end method

; expect:
; method Finals.<clinit>()V
; driver 25 bytes, 4 pieces (clinit$split$1 26, clinit$split$2 26, clinit$split$3 26, clinit$split$4 26), 0 cross edges, values as return values
; .method static <clinit>()V
;     .limit stack 1
;     .limit locals 0
;     invokestatic Finals/clinit$split$1()I
;     putstatic Finals/F0 I
;     invokestatic Finals/clinit$split$2()I
;     putstatic Finals/F1 I
;     invokestatic Finals/clinit$split$3()I
;     putstatic Finals/F2 I
;     invokestatic Finals/clinit$split$4()I
;     putstatic Finals/F3 I
;     return
; .end method
;
; .method private static synthetic clinit$split$1()I
;     .limit stack 2
;     .limit locals 0
;     iconst_1
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
;     ireturn
; .end method
;
; .method private static synthetic clinit$split$2()I
;     .limit stack 2
;     .limit locals 0
;     iconst_2
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
; .method private static synthetic clinit$split$3()I
;     .limit stack 2
;     .limit locals 0
;     iconst_3
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
;
; .method private static synthetic clinit$split$4()I
;     .limit stack 2
;     .limit locals 0
;     iconst_4
;     sipush 300
;     imul
;     iconst_3
;     iadd
;     sipush 301
;     imul
;     iconst_3
;     iadd
;     sipush 302
;     imul
;     iconst_3
;     iadd
;     sipush 303
;     imul
;     iconst_3
;     iadd
;     ireturn
; .end method
