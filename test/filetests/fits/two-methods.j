; pass: fits
; options: max-size=112
; The fits pass (for the parts of a split: an outlined region or its caller): a
; 4-byte method is encoded as it is; the 130-byte one does not fit and the pass
; does not apply (the next pass splits it).
.version 52 0
.class public Fits
.super java/lang/Object

.method public static small(I)I
    .limit stack 2
    .limit locals 1
    iload_0
    iconst_2
    imul
    ireturn
.end method

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
; method Fits.small(I)I
; driver 4 bytes, 0 pieces (), 0 cross edges, values as nothing
; .method public static small(I)I
;     .limit stack 2
;     .limit locals 1
;     iload 0
;     iconst_2
;     imul
;     ireturn
; .end method
; method Fits.g(II)I
; does not apply
