; pass: cfg
; Long and double slots reused as other types. Locals of reuse(JD)D: 0-1 long a,
; 2-3 double d. On the fall-through path 0 becomes an int, 1 a String, then 1-2 a
; double straddling the old pairs; on the L0 path a and d are read as pairs.
.class public Reuse
.super java/lang/Object

.method public static reuse(JD)D
    .limit stack 4
    .limit locals 4
    lload_0
    lconst_0
    lcmp
    ifle L0
    iconst_5
    istore_0
    ldc "s"
    astore_1
    aload_1
    invokevirtual java/lang/String/length()I
    iload_0
    iadd
    i2d
    dstore_1
    dload_1
    dreturn
L0:
    lload_0
    l2d
    dload_2
    dadd
    dreturn
.end method

; halves(J)J: on the fall-through path an int goes into slot 1 (the high half of
; the long parameter at 0-1), then a new long into 0-1, so neither half of the
; parameter is read there; on the jump path lload_0 reads both halves, so 0 and 1
; are live at entry and at the branch.
.method public static halves(J)J
    .limit stack 4
    .limit locals 3
    iconst_1
    istore_2
    iload_2
    ifeq L0
    iconst_3
    istore_1
    iload_1
    i2l
    lstore_0
L0:
    lload_0
    lreturn
.end method

; expect:
; method Reuse.reuse(JD)D
; b0: lload 0 .. ifle L0
;   -> b1 b2
; b1: iconst_5 .. dreturn
;   -> (none)
; b2 L0: lload 0 .. dreturn
;   -> (none)
; rpo: b0 b2 b1
; method Reuse.halves(J)J
; b0: iconst_1 .. ifeq L0
;   -> b1 b2
; b1: iconst_3 .. lstore 0
;   -> b2
; b2 L0: lload 0 .. lreturn
;   -> (none)
; rpo: b0 b1 b2
