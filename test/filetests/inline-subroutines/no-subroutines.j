; pass: inline-subroutines
; A body without jsr/ret comes back unchanged (the very same object).
.version 49 0
.class public T
.super java/lang/Object

.method static f(I)I
    .limit stack 2
    .limit locals 1
    .line 3
    iload_0
    iconst_1
    iadd
    ireturn
.end method
.end class

; expect:
; method T.f(I)I
;     .limit stack 2
;     .limit locals 1
;     .line 3
;     iload 0
;     iconst_1
;     iadd
;     ireturn
