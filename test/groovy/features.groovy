// Exercises Groovy's compiler and runtime: classes with properties, closures and
// currying, GString interpolation, collections, a small algorithm, and a second
// script compiled at run time through GroovyShell (the whole compiler again).
// groovy.xml.Entity's static initializer is one of Groovy's largest methods.
import groovy.transform.Canonical
import groovy.transform.CompileStatic

@Canonical
class Point {
  int x, y
  Point plus(Point o) { new Point(x + o.x, y + o.y) }
  double dist() { Math.sqrt(x * x + y * y) }
}

abstract class Shape {
  abstract double area()
  String toString() { "${getClass().simpleName}(area=${String.format('%.3f', area())})" }
}
class Circle extends Shape { double r; double area() { Math.PI * r * r } }
class Rect extends Shape { double w, h; double area() { w * h } }

@CompileStatic
static List<Integer> sieve(int n) {
  boolean[] composite = new boolean[n + 1]
  List<Integer> primes = []
  for (int i = 2; i <= n; i++) {
    if (!composite[i]) {
      primes << i
      for (int j = i * i; j <= n; j += i) composite[j] = true
    }
  }
  primes
}

def memoFib
memoFib = { BigInteger n -> n < 2 ? n : memoFib(n - 1) + memoFib(n - 2) }.memoize()

def report = new StringBuilder()
def p = new Point(3, 4) + new Point(1, -2)
report << "point: $p dist=${p.dist().round(4)} equals=${p == new Point(4, 2)}\n"
def shapes = [new Circle(r: 1.5), new Rect(w: 2, h: 3.5), new Circle(r: 0.25)]
report << "shapes: ${shapes.sort { it.area() }}\n"
report << "total area: ${String.format('%.6f', shapes.sum { it.area() })}\n"

def add = { a, b -> a + b }
def inc = add.curry(1)
def twice = { f, v -> f(f(v)) }
report << "closures: ${inc(41)} ${twice(inc, 40)} ${(1..10).collect(inc).findAll { it % 2 }.inject(0, add)}\n"
def compose = inc >> { it * 10 } >> { "<$it>" }
report << "compose: ${compose(4)}\n"

def words = "the quick brown fox jumps over the lazy dog the end".split(' ') as List
def freq = words.countBy { it }.sort { a, b -> b.value <=> a.value ?: a.key <=> b.key }
report << "freq: $freq\n"
report << "grouped: ${words.groupBy { it.size() }.collectEntries { k, v -> [k, v.unique().sort()] }.sort()}\n"
def m = [a: 1, b: [c: 2, d: [3, 4, 5]]]
report << "map: ${m.b.d*.multiply(2)} ${m.collect { k, v -> "$k=$v" }.join('&')} ${m.b.d.sum()}\n"
report << "ranges: ${(1..20).step(3)} ${('a'..'e').reverse().join()} ${[3, 1, 2].sort(false)} ${[[1, 2], [3], [4, 5]].flatten()}\n"

def primes = sieve(10000)
report << "primes: ${primes.size()} last=${primes[-1]} sum=${primes.sum()} twins=${(0..<primes.size() - 1).count { primes[it + 1] - primes[it] == 2 }}\n"
report << "fib: ${memoFib(150G)}\n"
def qsort
qsort = { List l -> l.size() <= 1 ? l : qsort(l.tail().findAll { it < l[0] }) + [l[0]] + qsort(l.tail().findAll { it >= l[0] }) }
def rnd = new Random(42)
def data = (1..300).collect { rnd.nextInt(1000) }
report << "qsort: ${qsort(data) == data.sort(false)} ${qsort(data).take(8)}\n"

def sw = new StringWriter()
new groovy.xml.MarkupBuilder(sw).shapes { shapes.each { s -> shape(kind: s.class.simpleName, area: String.format('%.2f', s.area())) } }
report << "xml: ${sw.toString().readLines()*.trim().join('')}\n"
def streamed = new groovy.xml.StreamingMarkupBuilder().bind { para { out << groovy.xml.Entity.copy; mkp.yield(' 2024 <me>'); out << groovy.xml.Entity.nbsp } }
report << "entities: $streamed\n"
report << "json: ${groovy.json.JsonOutput.toJson([primes: primes.take(5), point: [x: p.x, y: p.y], ok: true])}\n"
def parsed = new groovy.json.JsonSlurper().parseText('{"a": [1, 2, {"b": "c"}], "n": 1.5e3}')
report << "slurp: ${parsed.a[2].b} ${parsed.n}\n"
def matcher = "2024-01-15 and 1999-12-31" =~ /(\d{4})-(\d\d)-(\d\d)/
report << "regex: ${matcher.collect { it[1] }.join(',')} ${'hello world'.replaceAll(/o(\w)/) { all, c -> c.toUpperCase() }}\n"

def shell = new GroovyShell(new Binding([n: 12]))
report << "shell: " << shell.evaluate('''
  class Tree { def value; List<Tree> kids = []
    int size() { 1 + kids.sum(0) { it.size() } }
    int depth() { 1 + (kids.collect { it.depth() }.max() ?: 0) } }
  def build
  build = { int d -> new Tree(value: d, kids: d > 0 ? (0..<2).collect { build(d - 1) } : []) }
  def t = build(n % 7)
  def tri = (1..n).inject([]) { acc, i -> acc << (1..i).sum() }
  "tree size=${t.size()} depth=${t.depth()} tri=$tri"
''') << "\n"
try {
  shell.evaluate('def x = [1, 2]; x.noSuchMethod()')
} catch (MissingMethodException e) {
  report << "mme: ${e.method} on ${e.type.name}\n"
}
print report
