; pass: dead-stack
; Clojure's namespace loader: each top-level form's value stays on the stack until
; `return` discards it. Each String is read last by the `dup` before its call; after
; the call it is dead, so a `pop` goes right there (before `ldc "b"`, and before the
; `return`). The limits are kept (an upper bound).
.version 49 0
.class public T
.super java/lang/Object

.method static load()V
    .limit stack 3
    .limit locals 0
    ldc "a"
    dup
    invokestatic T/use(Ljava/lang/String;)V
    ldc "b"
    dup
    invokestatic T/use(Ljava/lang/String;)V
    return
.end method
.end class

; expect:
; method T.load()V
;     .limit stack 3
;     .limit locals 0
;     ldc "a"
;     dup
;     invokestatic T/use(Ljava/lang/String;)V
;     pop
;     ldc "b"
;     dup
;     invokestatic T/use(Ljava/lang/String;)V
;     pop
;     return
