; pass: stackmap
; Every compressed frame form, each relative to the previous frame: append (the
; loop head gains int int long), chop (after the loop local 2 and the long are
; dead, then local 1 too: javac leaves out-of-scope slots out, we leave out dead
; ones), same_locals_1_stack_item, same, and full frames with uninitialized(new)
; types on the stack.
.version 52 0
.class public super Forms
.super java/lang/Object

.method public static f(I)I
    iload_0
    ifeq L4
    iconst_1
    istore_1
    iconst_2
    istore_2
    lconst_0
    lstore_3
L0:
    iload_1
    iload_2
    if_icmpge L1
    iinc 1 1
    lload_3
    l2i
    pop
    goto L0
L1:
    iload_1
    iload_0
    iadd
    ifne L2
    iconst_0
    goto L3
L2:
    iconst_1
L3:
    ireturn
L4:
    new java/lang/StringBuilder
    dup
    iload_0
    ifeq L5
    iconst_1
    goto L6
L5:
    iconst_2
L6:
    invokespecial java/lang/StringBuilder/<init>(I)V
    pop
    iconst_0
    ireturn
.end method

; expect:
; method Forms.f(I)I
; max_stack 3 max_locals 5
; L0: append int int long
; L1: chop 2
; L2: chop 1
; L3: same_locals_1_stack_item int
; L4: same
; L5: full locals [int] stack [uninitialized(L4) uninitialized(L4)]
; L6: full locals [int] stack [uninitialized(L4) uninitialized(L4) int]
