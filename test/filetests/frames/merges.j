; pass: frames
; Reference merges through the class hierarchy: A and B (both extend Base) merge
; to Base; an interface (Runnable) and a class merge to Object, as the verifier
; treats interfaces; null merges into String.
.class public Base
.super java/lang/Object
.end class

.class public A
.super Base
.end class

.class public B
.super Base
.end class

.class public Merges
.super java/lang/Object

.method public static f(ILjava/lang/Runnable;Ljava/lang/String;)Ljava/lang/Object;
    iload_0
    ifeq L0
    new A
    dup
    invokespecial A/<init>()V
    astore_3
    aload_1
    goto L1
L0:
    new B
    dup
    invokespecial B/<init>()V
    astore_3
    aload_2
L1:
    astore 4
    iload_0
    ifeq L2
    aconst_null
    goto L3
L2:
    aload_2
L3:
    areturn
.end method

; expect:
; method Merges.f(ILjava/lang/Runnable;Ljava/lang/String;)Ljava/lang/Object;
; max_stack 2 max_locals 5
; b0: iload 0 .. ifeq L0
;   locals [I, Ljava/lang/Runnable;, Ljava/lang/String;] stack []
; b1: new A .. goto L1
;   locals [I, Ljava/lang/Runnable;, Ljava/lang/String;] stack []
; b2 L0: new B .. aload 2
;   locals [I, Ljava/lang/Runnable;, Ljava/lang/String;] stack []
; b3 L1: astore 4 .. ifeq L2
;   locals [I, Ljava/lang/Runnable;, Ljava/lang/String;, LBase;] stack [Ljava/lang/Object;]
; b4: aconst_null .. goto L3
;   locals [I, Ljava/lang/Runnable;, Ljava/lang/String;, LBase;, Ljava/lang/Object;] stack []
; b5 L2: aload 2
;   locals [I, Ljava/lang/Runnable;, Ljava/lang/String;, LBase;, Ljava/lang/Object;] stack []
; b6 L3: areturn
;   locals [I, Ljava/lang/Runnable;, Ljava/lang/String;, LBase;, Ljava/lang/Object;] stack [Ljava/lang/String;]
