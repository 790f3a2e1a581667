; pass: outline
; options: max-size=96
; The arguments of `new Integer(...)` (56 bytes) while the uninitialized object
; waits on the stack: no cut may fall there, and they are more than half the
; limit of 96, so they move into box$region$1, which takes the frame arrays, returns its
; exit index, and leaves the value in the frame; both parts then fit.
.version 52 0
.class public Outline
.super java/lang/Object

.method public static box(II)Ljava/lang/Integer;
    .limit stack 4
    .limit locals 2
    new java/lang/Integer
    dup
    iload_0
    sipush 1000
    imul
    iload_1
    iadd
    istore_0
    iload_0
    sipush 1001
    imul
    iload_1
    iadd
    istore_0
    iload_0
    sipush 1002
    imul
    iload_1
    iadd
    istore_0
    iload_0
    sipush 1003
    imul
    iload_1
    iadd
    istore_0
    iload_0
    sipush 1004
    imul
    iload_1
    iadd
    istore_0
    iload_0
    sipush 1005
    imul
    iload_1
    iadd
    istore_0
    iload_0
    sipush 1006
    imul
    iload_1
    iadd
    istore_0
    iload_0
    invokespecial java/lang/Integer/<init>(I)V
    areturn
.end method

; expect:
; method Outline.box(II)Ljava/lang/Integer;
; driver 35 bytes, 1 pieces (box$region$1 78), 1 cross edges, values as nothing
; .method public static box(II)Ljava/lang/Integer;
;     .limit stack 5
;     .limit locals 3
;     bipush 9
;     newarray int
;     astore 2
; L0:
;     new java/lang/Integer
;     dup
;     aload 2
;     iconst_0
;     iload 0
;     iastore
;     aload 2
;     iconst_1
;     iload 1
;     iastore
;     aload 2
;     invokestatic Outline/box$region$1([I)I
;     pop
;     goto L1
; L1:
;     .stack full locals Integer Integer Object [I stack Uninitialized L0 Uninitialized L0
;     aload 2
;     iconst_2
;     iaload
;     goto L2
; L2:
;     .stack full locals Integer Integer Object [I stack Uninitialized L0 Uninitialized L0 Integer
;     invokespecial java/lang/Integer/<init>(I)V
;     areturn
; .end method
;
; .method private static synthetic box$region$1([I)I
;     .limit stack 3
;     .limit locals 4
;     aload 0
;     iconst_0
;     iaload
;     istore 1
;     aload 0
;     iconst_1
;     iaload
;     istore 2
;     goto L0
; L0:
;     .stack append Integer Integer
;     iload 1
;     sipush 1000
;     imul
;     iload 2
;     iadd
;     istore 1
;     iload 1
;     sipush 1001
;     imul
;     iload 2
;     iadd
;     istore 1
;     iload 1
;     sipush 1002
;     imul
;     iload 2
;     iadd
;     istore 1
;     iload 1
;     sipush 1003
;     imul
;     iload 2
;     iadd
;     istore 1
;     iload 1
;     sipush 1004
;     imul
;     iload 2
;     iadd
;     istore 1
;     iload 1
;     sipush 1005
;     imul
;     iload 2
;     iadd
;     istore 1
;     iload 1
;     sipush 1006
;     imul
;     iload 2
;     iadd
;     istore 1
;     iload 1
;     goto L1
; L1:
;     .stack same_locals_1_stack_item Integer
;     istore 3
;     aload 0
;     iconst_2
;     iload 3
;     iastore
;     iconst_0
;     ireturn
; .end method
