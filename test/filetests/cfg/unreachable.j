; pass: cfg
; Unreachable code is kept and reported (W_UNREACHABLE), never dropped: the two
; instructions after the first ireturn (no label), a loop nothing enters (L1), the
; code after it (L2) and the handler (L3) whose range is itself unreachable.
; off(I)V can run past its last instruction (W_FALLS_OFF_END).
.class public Dead
.super java/lang/Object

.method public static dead(I)I
    .limit stack 1
    .limit locals 1
    .catch all from L1 to L2 using L3
    iload_0
    ifeq L0
    iconst_1
    ireturn
    iconst_2
    istore_0
L0:
    iload_0
    ireturn
L1:
    iinc 0 1
    iload_0
    ifne L1
L2:
    iconst_0
    ireturn
L3:
    athrow
.end method

.method public static off(I)V
    .limit stack 1
    .limit locals 1
    iload_0
    ifeq L0
    return
L0:
    nop
.end method

; expect:
; method Dead.dead(I)I
; b0: iload 0 .. ifeq L0
;   -> b1 b3
; b1: iconst_1 .. ireturn
;   -> (none)
; b2: iconst_2 .. istore 0
;   -> b3
;   unreachable
; b3 L0: iload 0 .. ireturn
;   -> (none)
; b4 L1: iinc 0 1 .. ifne L1
;   -> b5 b4
;   catch -> b6 (any)
;   unreachable
; b5 L2: iconst_0 .. ireturn
;   -> (none)
;   unreachable
; b6 L3: athrow
;   -> (none)
;   unreachable
; rpo: b0 b3 b1
; warning W_UNREACHABLE: unreachable code: blocks 2..2
; warning W_UNREACHABLE: unreachable code: blocks 4..6
; method Dead.off(I)V
; b0: iload 0 .. ifeq L0
;   -> b1 b2
; b1: return
;   -> (none)
; b2 L0: nop
;   -> (none)
; rpo: b0 b2 b1
; warning W_FALLS_OFF_END: control can run past the last instruction
