// A small expression language: precedence climbing through left recursion,
// labelled alternatives, a statement list, and lexer modes for string templates.
grammar Expr;

program : stat* EOF ;

stat
    : 'let' ID '=' expr ';'                 # Let
    | 'if' expr block ('else' block)?       # If
    | 'while' expr block                    # While
    | 'fn' ID '(' params? ')' block         # Fn
    | 'return' expr? ';'                    # Return
    | expr ';'                              # ExprStat
    ;

block  : '{' stat* '}' ;
params : ID (',' ID)* ;

expr
    : <assoc=right> expr '^' expr           # Pow
    | op=('-' | '!') expr                   # Unary
    | expr op=('*' | '/' | '%') expr        # Mul
    | expr op=('+' | '-') expr              # Add
    | expr op=('<' | '<=' | '>' | '>=') expr # Cmp
    | expr op=('==' | '!=') expr            # Eq
    | expr '&&' expr                        # And
    | expr '||' expr                        # Or
    | expr '?' expr ':' expr                # Cond
    | expr '(' args? ')'                    # Call
    | expr '[' expr ']'                     # Index
    | '[' args? ']'                         # List
    | '(' expr ')'                          # Paren
    | ID                                    # Var
    | NUMBER                                # Num
    | STRING                                # Str
    ;

args : expr (',' expr)* ;

// Unicode property escapes make the tool load its UnicodeData tables.
ID     : [\p{Letter}_] [\p{Letter}\p{Nd}_]* ;
NUMBER : [0-9]+ ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? ;
STRING : '"' (ESC | ~["\\\r\n])* '"' ;
fragment ESC : '\\' ["\\/bfnrt] | '\\u' HEX HEX HEX HEX ;
fragment HEX : [0-9a-fA-F] ;
COMMENT : '/*' .*? '*/' -> skip ;
LINE_COMMENT : '//' ~[\r\n]* -> skip ;
WS : [ \t\r\n]+ -> skip ;
