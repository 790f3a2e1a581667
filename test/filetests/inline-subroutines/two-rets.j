; pass: inline-subroutines
; Two rets in one subroutine, on different paths: JVMS 4.10.2.5 allows it (HotSpot's
; old verifier refuses it: "Multiple returns to single jsr"); both become gotos to
; the return point of their own copy's jsr.
.version 49 0
.class public T
.super java/lang/Object

.method static f(I)I
    .limit stack 1
    .limit locals 2
    jsr S
    jsr S
    iload_0
    ireturn
S:
    astore_1
    iload_0
    ifeq Z
    ret 1
Z:
    iinc 0 1
    ret 1
.end method
.end class

; expect:
; method T.f(I)I
;     .limit stack 1
;     .limit locals 2
;     goto L2
; L0:
;     goto L4
; L1:
;     iload 0
;     ireturn
; L2:
;     iload 0
;     ifeq L3
;     goto L0
; L3:
;     iinc 0 1
;     goto L0
; L4:
;     iload 0
;     ifeq L5
;     goto L1
; L5:
;     iinc 0 1
;     goto L1
