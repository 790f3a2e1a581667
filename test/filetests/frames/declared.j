; pass: frames
; Declared frames are the facts where they stand (JVMS 4.7.4): at L0 javac says
; local 0 is an Object although both paths hold something more precise, and the
; inference continues from that (marked "declared").
.version 52 0
.class public super Declared
.super java/lang/Object

.method public static f(Ljava/lang/Object;)Ljava/lang/Object;
    .limit stack 1
    .limit locals 1
    aload_0
    instanceof java/lang/String
    ifeq L0
    ldc "s"
    astore_0
L0:
    .stack full locals Object java/lang/Object stack
    aload_0
    areturn
.end method

; expect:
; method Declared.f(Ljava/lang/Object;)Ljava/lang/Object;
; max_stack 1 max_locals 1
; b0: aload 0 .. ifeq L0
;   locals [Ljava/lang/Object;] stack []
; b1: ldc .. astore 0
;   locals [Ljava/lang/Object;] stack []
; b2 L0: aload 0 .. areturn
;   declared locals [Ljava/lang/Object;] stack []
