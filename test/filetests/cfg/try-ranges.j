; pass: cfg
; Nested and overlapping try ranges. Every range boundary starts a block, so each
; block lies wholly inside or outside each range; exception edges follow the
; exception table order (inner ArithmeticException first, then Exception, then any).
.class public TryRanges
.super java/lang/Object

; nested: [L1, L2) ArithmeticException inside [L0, L3) Exception and [L0, L3) any.
.method public static nested(I)I
    .limit stack 2
    .limit locals 2
    .catch java/lang/ArithmeticException from L1 to L2 using L4
    .catch java/lang/Exception from L0 to L3 using L5
    .catch all from L0 to L3 using L6
    iconst_0
    istore_1
L0:
    iconst_1
    istore_1
L1:
    bipush 10
    iload_0
    idiv
    istore_1
L2:
    iload_1
    iconst_2
    imul
    istore_1
L3:
    iload_1
    ireturn
L4:
    pop
    iload_1
    ireturn
L5:
    pop
    bipush -2
    ireturn
L6:
    athrow
.end method

; overlapping: [L0, L2) RuntimeException and [L1, L3) Exception share [L1, L2).
; Handler L4 reads local 1, handler L5 reads local 0.
.method public static overlapping(I)I
    .limit stack 2
    .limit locals 2
    .catch java/lang/RuntimeException from L0 to L2 using L4
    .catch java/lang/Exception from L1 to L3 using L5
    iconst_0
    istore_1
L0:
    iload_0
    iconst_1
    idiv
    istore_0
L1:
    iload_0
    iconst_2
    idiv
    istore_1
L2:
    iload_1
    iconst_3
    idiv
    istore_0
L3:
    iload_0
    ireturn
L4:
    pop
    iload_1
    ireturn
L5:
    pop
    iload_0
    ireturn
.end method

; expect:
; method TryRanges.nested(I)I
; b0: iconst_0 .. istore 1
;   -> b1
; b1 L0: iconst_1 .. istore 1
;   -> b2
;   catch -> b6 (java/lang/Exception) b7 (any)
; b2 L1: bipush 10 .. istore 1
;   -> b3
;   catch -> b5 (java/lang/ArithmeticException) b6 (java/lang/Exception) b7 (any)
; b3 L2: iload 1 .. istore 1
;   -> b4
;   catch -> b6 (java/lang/Exception) b7 (any)
; b4 L3: iload 1 .. ireturn
;   -> (none)
; b5 L4: pop .. ireturn
;   -> (none)
; b6 L5: pop .. ireturn
;   -> (none)
; b7 L6: athrow
;   -> (none)
; rpo: b0 b1 b2 b5 b3 b7 b6 b4
; method TryRanges.overlapping(I)I
; b0: iconst_0 .. istore 1
;   -> b1
; b1 L0: iload 0 .. istore 0
;   -> b2
;   catch -> b5 (java/lang/RuntimeException)
; b2 L1: iload 0 .. istore 1
;   -> b3
;   catch -> b5 (java/lang/RuntimeException) b6 (java/lang/Exception)
; b3 L2: iload 1 .. istore 0
;   -> b4
;   catch -> b6 (java/lang/Exception)
; b4 L3: iload 0 .. ireturn
;   -> (none)
; b5 L4: pop .. ireturn
;   -> (none)
; b6 L5: pop .. ireturn
;   -> (none)
; rpo: b0 b1 b2 b5 b3 b6 b4
