; pass: cfg
; tableswitch and lookupswitch: successors are the default first, then the cases
; in operand order, duplicates removed (L0 appears twice in the tableswitch, L3 is
; both a case and the default of the lookupswitch).
.class public Switches
.super java/lang/Object

.method public static sw(II)I
    .limit stack 1
    .limit locals 2
    iload_0
    tableswitch 0 2
        L0
        L1
        L0
        default : L2
L0:
    iload_1
    ireturn
L1:
    iconst_1
    ireturn
L2:
    iload_1
    lookupswitch
        -1 : L3
        10 : L4
        default : L3
L3:
    iconst_0
    ireturn
L4:
    iload_0
    ireturn
.end method

; expect:
; method Switches.sw(II)I
; b0: iload 0 .. tableswitch
;   -> b3 b1 b2
; b1 L0: iload 1 .. ireturn
;   -> (none)
; b2 L1: iconst_1 .. ireturn
;   -> (none)
; b3 L2: iload 1 .. lookupswitch
;   -> b4 b5
; b4 L3: iconst_0 .. ireturn
;   -> (none)
; b5 L4: iload 0 .. ireturn
;   -> (none)
; rpo: b0 b2 b1 b3 b5 b4
