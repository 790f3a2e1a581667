; pass: frames
; A tableswitch and a lookupswitch: local 1 is null, String, Integer or Float
; on the way to L4; the references merge (String and Integer to Object, null
; into anything) and the float arm returns before the join.
.class public Switches
.super java/lang/Object

.method public static f(I)Ljava/lang/Object;
    aconst_null
    astore_1
    iload_0
    tableswitch 0 1
        L0
        L1
        default : L2
L0:
    ldc "zero"
    astore_1
    goto L4
L1:
    iload_0
    invokestatic java/lang/Integer/valueOf(I)Ljava/lang/Integer;
    astore_1
    goto L4
L2:
    iload_0
    lookupswitch
        7 : L3
        100 : L4
        default : L4
L3:
    fconst_1
    fstore_1
    aconst_null
    areturn
L4:
    aload_1
    areturn
.end method

; expect:
; method Switches.f(I)Ljava/lang/Object;
; max_stack 1 max_locals 2
; b0: aconst_null .. tableswitch
;   locals [I] stack []
; b1 L0: ldc .. goto L4
;   locals [I, null] stack []
; b2 L1: iload 0 .. goto L4
;   locals [I, null] stack []
; b3 L2: iload 0 .. lookupswitch
;   locals [I, null] stack []
; b4 L3: fconst_1 .. areturn
;   locals [I, null] stack []
; b5 L4: aload 1 .. areturn
;   locals [I, Ljava/lang/Object;] stack []
