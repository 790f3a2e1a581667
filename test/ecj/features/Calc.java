// Part of the Java program test/split-ecj.test.ts compiles: a small calculator, a
// tokenizer (a switch on characters and one on strings, with fall-through), a
// recursive-descent parser, a generic visitor over the syntax tree, checked
// exceptions and try/catch/finally, constant expressions the compiler folds.
package features;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.DoubleUnaryOperator;

public final class Calc {
    // Folded by the compiler: arithmetic, comparisons, shifts, string concatenation of constants.
    static final int K = (1 << 10) + 0x7f - 0b1010 * 3 % 7;
    static final long BIG = 1_000_000_007L * 3 + ~0L;
    static final boolean FOLDED = K > 1000 && BIG != 0 && 3 <= 4 && 2.5 >= 2.5f && 'a' < 'b' && !(1 == 2);
    static final String GREETING = "K=" + K + ", big=" + BIG + ", folded=" + FOLDED + ", " + 'c' + 1.5f + 2.0 + true + null;
    static final double HEX = 0x1.8p1 + 0x.4p-2 + 1e-3 + 07;
    static final char CH = (char) ('A' + 25);
    static final float QUIET = 3.4028235e38f / 1e38f;

    static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        final int position;

        ParseException(String message, int position) {
            super(message + " at " + position);
            this.position = position;
        }
    }

    enum TokenKind { NUMBER, IDENT, OP, LPAREN, RPAREN, COMMA, END }

    static final class Token {
        final TokenKind kind;
        final String text;
        final int pos;

        Token(TokenKind kind, String text, int pos) { this.kind = kind; this.text = text; this.pos = pos; }

        @Override public String toString() { return kind + (text.isEmpty() ? "" : "'" + text + "'"); }
    }

    static List<Token> tokenize(String s) throws ParseException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        scan:
        while (i < s.length()) {
            char c = s.charAt(i);
            switch (c) {
                case ' ': case '\t': case '\n':
                    i++;
                    continue scan;
                case '(':
                    out.add(new Token(TokenKind.LPAREN, "", i++));
                    break;
                case ')':
                    out.add(new Token(TokenKind.RPAREN, "", i++));
                    break;
                case ',':
                    out.add(new Token(TokenKind.COMMA, "", i++));
                    break;
                case '+': case '-': case '*': case '/': case '%': case '^':
                    out.add(new Token(TokenKind.OP, String.valueOf(c), i++));
                    break;
                default:
                    int start = i;
                    if (Character.isDigit(c) || c == '.') {
                        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
                        out.add(new Token(TokenKind.NUMBER, s.substring(start, i), start));
                    } else if (Character.isLetter(c)) {
                        do i++; while (i < s.length() && Character.isLetterOrDigit(s.charAt(i)));
                        out.add(new Token(TokenKind.IDENT, s.substring(start, i), start));
                    } else {
                        throw new ParseException("unexpected '" + c + "'", i);
                    }
            }
        }
        out.add(new Token(TokenKind.END, "", s.length()));
        return out;
    }

    /** The syntax tree, and a visitor returning any type. */
    interface Node {
        <R> R accept(Visitor<R> v);
    }

    interface Visitor<R> {
        R num(double value);
        R var(String name);
        R binary(char op, Node l, Node r);
        R call(String fn, List<Node> args);
    }

    static Node num(double v) { return new Node() { public <R> R accept(Visitor<R> vis) { return vis.num(v); } }; }
    static Node var(String n) { return new Node() { public <R> R accept(Visitor<R> vis) { return vis.var(n); } }; }
    static Node bin(char op, Node l, Node r) { return new Node() { public <R> R accept(Visitor<R> vis) { return vis.binary(op, l, r); } }; }
    static Node call(String f, List<Node> a) { return new Node() { public <R> R accept(Visitor<R> vis) { return vis.call(f, a); } }; }

    static final class Parser {
        private final List<Token> tokens;
        private int at;

        Parser(List<Token> tokens) { this.tokens = tokens; }

        Token peek() { return tokens.get(at); }

        Token take() { return tokens.get(at++); }

        Node parse() throws ParseException {
            Node n = sum();
            if (peek().kind != TokenKind.END) throw new ParseException("trailing " + peek(), peek().pos);
            return n;
        }

        private Node sum() throws ParseException {
            Node n = product();
            while (peek().kind == TokenKind.OP && (peek().text.equals("+") || peek().text.equals("-")))
                n = bin(take().text.charAt(0), n, product());
            return n;
        }

        private Node product() throws ParseException {
            Node n = power();
            for (;;) {
                Token t = peek();
                if (t.kind != TokenKind.OP) return n;
                switch (t.text) {
                    case "*":
                    case "/":
                    case "%":
                        take();
                        n = bin(t.text.charAt(0), n, power());
                        break;
                    default:
                        return n;
                }
            }
        }

        private Node power() throws ParseException {
            Node base = unary();
            if (peek().kind == TokenKind.OP && peek().text.equals("^")) {
                take();
                return bin('^', base, power());
            }
            return base;
        }

        private Node unary() throws ParseException {
            if (peek().kind == TokenKind.OP && peek().text.equals("-")) {
                take();
                return bin('-', num(0), unary());
            }
            return atom();
        }

        private Node atom() throws ParseException {
            Token t = take();
            switch (t.kind) {
                case NUMBER:
                    try {
                        return num(Double.parseDouble(t.text));
                    } catch (NumberFormatException e) {
                        throw new ParseException("bad number " + t.text, t.pos);
                    }
                case IDENT:
                    if (peek().kind != TokenKind.LPAREN) return var(t.text);
                    take();
                    List<Node> args = new ArrayList<>();
                    if (peek().kind != TokenKind.RPAREN) {
                        args.add(sum());
                        while (peek().kind == TokenKind.COMMA) {
                            take();
                            args.add(sum());
                        }
                    }
                    expect(TokenKind.RPAREN);
                    return call(t.text, args);
                case LPAREN:
                    Node inner = sum();
                    expect(TokenKind.RPAREN);
                    return inner;
                default:
                    throw new ParseException("unexpected " + t, t.pos);
            }
        }

        private void expect(TokenKind k) throws ParseException {
            Token t = take();
            if (t.kind != k) throw new ParseException("expected " + k + " but found " + t, t.pos);
        }
    }

    /** Evaluates with a map of variables and a table of functions (lambdas and method references). */
    static final class Evaluator implements Visitor<Double> {
        private static final Map<String, DoubleUnaryOperator> UNARY = new HashMap<>();
        private static final Map<Character, BinaryOperator<Double>> BINARY = new HashMap<>();

        static {
            UNARY.put("sqrt", Math::sqrt);
            UNARY.put("abs", Math::abs);
            UNARY.put("sq", x -> x * x);
            UNARY.put("neg", DoubleUnaryOperator.identity().andThen(x -> -x));
            BINARY.put('+', Double::sum);
            BINARY.put('-', (a, b) -> a - b);
            BINARY.put('*', (a, b) -> a * b);
            BINARY.put('/', (a, b) -> a / b);
            BINARY.put('%', (a, b) -> a % b);
            BINARY.put('^', Math::pow);
        }

        private final Map<String, Double> vars;
        int calls;

        Evaluator(Map<String, Double> vars) { this.vars = vars; }

        @Override public Double num(double value) { return value; }

        @Override
        public Double var(String name) {
            Double v = vars.get(name);
            if (v == null) throw new IllegalArgumentException("unknown variable " + name);
            return v;
        }

        @Override
        public Double binary(char op, Node l, Node r) {
            return BINARY.get(op).apply(l.accept(this), r.accept(this));
        }

        @Override
        public Double call(String fn, List<Node> args) {
            calls++;
            if (fn.equals("max") || fn.equals("min")) {
                double best = fn.equals("max") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                for (Node a : args) {
                    double v = a.accept(this);
                    best = fn.equals("max") ? Math.max(best, v) : Math.min(best, v);
                }
                return best;
            }
            DoubleUnaryOperator f = UNARY.get(fn);
            if (f == null || args.size() != 1) throw new IllegalArgumentException("bad call " + fn + "/" + args.size());
            return f.applyAsDouble(args.get(0).accept(this));
        }
    }

    /** Prints the tree back, fully parenthesised: a second visitor, returning strings. */
    static final Visitor<String> PRINTER = new Visitor<>() {
        @Override public String num(double value) { return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value); }
        @Override public String var(String name) { return name; }
        @Override public String binary(char op, Node l, Node r) { return "(" + l.accept(this) + " " + op + " " + r.accept(this) + ")"; }
        @Override
        public String call(String fn, List<Node> args) {
            StringBuilder sb = new StringBuilder(fn).append('(');
            String sep = "";
            for (Node a : args) {
                sb.append(sep).append(a.accept(this));
                sep = ", ";
            }
            return sb.append(')').toString();
        }
    };

    /**
     * Evaluates each expression.
     *
     * @param vars the variables' values, by name
     * @param exprs the expressions, in {@link Parser} syntax
     * @return one line per expression, errors included, then the errors
     * @see Evaluator#call(String, List)
     */
    static List<String> run(Map<String, Double> vars, String... exprs) {
        List<String> out = new ArrayList<>();
        Deque<String> errors = new ArrayDeque<>();
        int done = 0;
        for (String e : exprs) {
            try {
                Node n = new Parser(tokenize(e)).parse();
                Evaluator ev = new Evaluator(vars);
                double v = n.accept(ev);
                out.add(n.accept(PRINTER) + " = " + Shapes.Shape.format(v) + (ev.calls > 0 ? " (" + ev.calls + " calls)" : ""));
            } catch (ParseException | IllegalArgumentException ex) {
                errors.push(ex.getClass().getSimpleName() + ": " + ex.getMessage());
                out.add("error in '" + e + "'");
            } finally {
                done++;
            }
        }
        while (!errors.isEmpty()) out.add(errors.pollLast());
        out.add(done + " done");
        return out;
    }
}
