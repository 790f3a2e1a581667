// A Kotlin program for test/split-kotlin.test.ts, compiled by the split and the
// unsplit Kotlin compiler: data and sealed classes, `when` (over a sealed type,
// an enum, ranges and many string constants, which the compiler turns into a hash
// switch), generics with variance and reified inline functions, extensions,
// lambdas and callable references, collections and sequences (a `sequence {}`
// builder: a suspend lambda, so the coroutine state machine is generated),
// objects and companions, operator overloading, delegation (lazy, observable,
// map-backed, class delegation), enums with bodies, destructuring, nullability,
// tailrec, exceptions with finally, constant folding. Three lines draw compiler
// warnings on purpose (a recursive call that is not a tail call, an unused
// variable, a redundant cast), so the compiler's diagnostics are compared too.
// Deterministic output.
@file:JvmName("FeaturesKt")

import java.util.Locale
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.startCoroutine
import kotlin.properties.Delegates

// ---- data and sealed classes -------------------------------------------------
data class Point(val x: Int, val y: Int) {
    operator fun plus(o: Point) = Point(x + o.x, y + o.y)
    operator fun times(k: Int) = Point(x * k, y * k)
    operator fun unaryMinus() = Point(-x, -y)
    infix fun dot(o: Point) = x * o.x + y * o.y
}

sealed class Expr {
    data class Num(val value: Long) : Expr()
    data class Add(val l: Expr, val r: Expr) : Expr()
    data class Mul(val l: Expr, val r: Expr) : Expr()
    data class Neg(val e: Expr) : Expr()
    object Zero : Expr()
}

fun eval(e: Expr): Long = when (e) {
    is Expr.Num -> e.value
    is Expr.Add -> eval(e.l) + eval(e.r)
    is Expr.Mul -> eval(e.l) * eval(e.r)
    is Expr.Neg -> -eval(e.e)
    Expr.Zero -> 0L
}

fun show(e: Expr): String = when (e) {
    is Expr.Num -> e.value.toString()
    is Expr.Add -> "(${show(e.l)} + ${show(e.r)})"
    is Expr.Mul -> "${show(e.l)} * ${show(e.r)}"
    is Expr.Neg -> "-${show(e.e)}"
    Expr.Zero -> "0"
}

// ---- generics and variance ---------------------------------------------------
interface Source<out T> { fun next(): T }
interface Sink<in T> { fun put(t: T) }

class Counter(private var n: Int) : Source<Int> { override fun next() = n++ }
class Collect<T> : Sink<T> { val items = mutableListOf<T>(); override fun put(t: T) { items += t } }

fun <T> pump(from: Source<T>, to: Sink<T>, times: Int) { repeat(times) { to.put(from.next()) } }
fun <T : Comparable<T>> maxOf3(a: T, b: T, c: T): T = maxOf(a, maxOf(b, c))
fun <T> describe(xs: List<T>) where T : CharSequence, T : Comparable<T> = xs.sorted().joinToString("|") { "${it.length}:$it" }
fun sizes(xs: List<*>): String = xs.map { it?.javaClass?.simpleName ?: "null" }.joinToString(",")

inline fun <reified T> List<Any?>.only(): List<T> = filter { it is T }.map { it as T }
inline fun <reified T : Any> nameOf(): String = T::class.java.simpleName

class Box<T>(val value: T) {
    fun <R> map(f: (T) -> R): Box<R> = Box(f(value))
    override fun toString() = "Box($value)"
}

typealias Pred<T> = (T) -> Boolean

fun <T> Iterable<T>.countWhere(p: Pred<T>): Int { var n = 0; for (x in this) if (p(x)) n++; return n }

// ---- extensions ----------------------------------------------------------------
fun String.vowels(): Int = count { it.toLowerCase() in "aeiou" }
val <T> List<T>.second: T get() = this[1]
fun Int.isPrime(): Boolean = this > 1 && (2..Math.sqrt(toDouble()).toInt()).none { this % it == 0 }
operator fun Point.get(i: Int) = if (i == 0) x else y

// ---- objects, companions, constants --------------------------------------------
const val GREETING = "hello"
const val FOLDED = (1 shl 10) + 7 * 6 - 3 / 2 // constant folding
const val FOLDED_STR = "ab" + "cd" + 12

object Registry {
    private val names = linkedMapOf<String, Int>()
    fun register(name: String): Int = names.getOrPut(name) { names.size + 1 }
    override fun toString() = names.entries.joinToString { "${it.key}#${it.value}" }
}

class Temperature private constructor(val kelvin: Double) {
    companion object Factory {
        @JvmStatic fun celsius(c: Double) = Temperature(c + 273.15)
        fun fahrenheit(f: Double) = Temperature((f - 32) * 5 / 9 + 273.15)
        val ABSOLUTE_ZERO = Temperature(0.0)
    }
    override fun toString() = String.format(Locale.ROOT, "%.2fK", kelvin)
}

// ---- enums with bodies -----------------------------------------------------------
enum class Op(val symbol: String) {
    PLUS("+") { override fun apply(a: Int, b: Int) = a + b },
    MINUS("-") { override fun apply(a: Int, b: Int) = a - b },
    TIMES("*") { override fun apply(a: Int, b: Int) = a * b },
    POW("^") {
        override fun apply(a: Int, b: Int): Int { var r = 1; repeat(b) { r *= a }; return r }
    };
    abstract fun apply(a: Int, b: Int): Int
}

enum class Color { RED, GREEN, BLUE }

fun mood(c: Color) = when (c) {
    Color.RED -> "angry"
    Color.GREEN -> "calm"
    Color.BLUE -> "sad"
}

// ---- delegation -----------------------------------------------------------------
interface Greeter { fun greet(who: String): String; fun bye(): String = "bye" }
class Polite : Greeter { override fun greet(who: String) = "Good day, $who" }
class Loud(g: Greeter) : Greeter by g { override fun bye() = "BYE" }

class Settings(map: Map<String, Any?>) {
    val name: String by map
    val level: Int by map
}

class Observed {
    val log = mutableListOf<String>()
    var value: Int by Delegates.observable(0) { p, old, new -> log += "${p.name}:$old->$new" }
    val expensive: String by lazy { log += "computed"; "lazy!" }
}

// ---- when over many string constants (a hash switch) ----------------------------
fun keyword(s: String): Int = when (s) {
    "abstract" -> 1; "annotation" -> 2; "by" -> 3; "catch" -> 4; "class" -> 5
    "companion" -> 6; "const" -> 7; "constructor" -> 8; "crossinline" -> 9; "data" -> 10
    "do" -> 11; "else" -> 12; "enum" -> 13; "external" -> 14; "false" -> 15
    "final" -> 16; "finally" -> 17; "for" -> 18; "fun" -> 19; "if" -> 20
    "import" -> 21; "in" -> 22; "infix" -> 23; "init" -> 24; "inline" -> 25
    "inner" -> 26; "interface" -> 27; "internal" -> 28; "is" -> 29; "lateinit" -> 30
    "noinline" -> 31; "null" -> 32; "object" -> 33; "open" -> 34; "operator" -> 35
    "out" -> 36; "override" -> 37; "package" -> 38; "private" -> 39; "protected" -> 40
    "public" -> 41; "reified" -> 42; "return" -> 43; "sealed" -> 44; "super" -> 45
    "suspend" -> 46; "tailrec" -> 47; "this" -> 48; "throw" -> 49; "true" -> 50
    "try" -> 51; "typealias" -> 52; "val" -> 53; "var" -> 54; "vararg" -> 55
    "when" -> 56; "where" -> 57; "while" -> 58; "Aa" -> 59; "BB" -> 60 // "Aa" and "BB" share a hash code
    else -> 0
}

fun classify(n: Int): String = when {
    n < 0 -> "negative"
    n == 0 -> "zero"
    n in 1..9 -> "digit"
    n % 2 == 0 -> "even"
    else -> "odd"
}

fun kind(x: Any?): String = when (x) {
    null -> "null"
    is Int -> "int $x"
    is String -> if (x.length == 0) "empty string" else "string of ${x.length}"
    is List<*> -> "list of ${x.size}"
    is Point -> "point ${x.x},${x.y}"
    else -> "other ${x::class.java.simpleName}"
}

// ---- recursion, exceptions -----------------------------------------------------------
tailrec fun gcd(a: Long, b: Long): Long = if (b == 0L) a else gcd(b, a % b)
tailrec fun sumTo(n: Int, acc: Long = 0): Long = if (n == 0) acc else sumTo(n - 1, acc + n)
// One tail call (a loop) and one that is not (a warning, and a real recursive call).
tailrec fun oddDigits(n: Long, acc: Int = 0): Int = when {
    n == 0L -> acc
    n % 2 == 0L -> oddDigits(n / 10, acc)
    else -> 1 + oddDigits(n / 10, acc)
}

class BadInput(msg: String) : IllegalArgumentException(msg)

fun parse(s: String, trail: MutableList<String>): Int = try {
    trail += "try $s"
    if (s.startsWith("!")) throw BadInput("bang: $s")
    s.toInt()
} catch (e: NumberFormatException) {
    trail += "nfe"
    -1
} catch (e: BadInput) {
    trail += "bad ${e.message}"
    -2
} finally {
    trail += "finally $s"
}

class Resource(private val name: String, private val log: MutableList<String>) : java.io.Closeable {
    fun use1() = name.length
    override fun close() { log += "closed $name" }
}

// ---- classes: inner, abstract, properties ------------------------------------------
abstract class Shape(val name: String) {
    abstract fun area(): Double
    open fun describe() = String.format(Locale.ROOT, "%s %.3f", name, area())
}
class Circle(val r: Double) : Shape("circle") { override fun area() = Math.PI * r * r }
class Rect(val w: Double, val h: Double) : Shape("rect") {
    override fun area() = w * h
    override fun describe() = super.describe() + " (${w}x$h)"
}

class Outer(val base: Int) {
    inner class Inner(val k: Int) { fun total() = base + k }
    class Nested { fun hi() = "nested" }
}

class Account {
    var balance: Long = 0
        private set
    var history = ""
        set(v) { field = v.takeLast(40) }
    lateinit var owner: String
    fun deposit(n: Long) { balance += n; history += "+$n" }
    val isRich get() = balance > 1000
}

class Matrix(val n: Int) {
    private val cells = IntArray(n * n)
    operator fun get(i: Int, j: Int) = cells[i * n + j]
    operator fun set(i: Int, j: Int, v: Int) { cells[i * n + j] = v }
    operator fun times(o: Matrix): Matrix {
        val r = Matrix(n)
        for (i in 0 until n) for (j in 0 until n) {
            var s = 0
            for (k in 0 until n) s += this[i, k] * o[k, j]
            r[i, j] = s
        }
        return r
    }
    operator fun contains(v: Int) = cells.contains(v)
    override fun toString() = (0 until n).joinToString(";") { i -> (0 until n).joinToString(",") { j -> this[i, j].toString() } }
}

@JvmOverloads fun pad(s: String, width: Int = 6, ch: Char = '.') = s.padStart(width, ch)
fun total(vararg xs: Int) = xs.sum()

inline fun <T> measure(label: String, log: MutableList<String>, block: () -> T): T {
    log += "start $label"
    try { return block() } finally { log += "end $label" }
}

inline fun twice(crossinline f: () -> Unit) { val r = Runnable { f() }; r.run(); r.run() }

// ---- coroutines from the standard library (no kotlinx) ----------------------------------
fun fibonacci() = sequence {
    var a = 0L; var b = 1L
    while (true) { yield(a); val t = a + b; a = b; b = t }
}

suspend fun twoSteps(log: MutableList<String>): Int {
    log += "step1"
    val x = sequenceOf(1, 2, 3).sum()
    log += "step2"
    return x * 7
}

fun runSuspend(log: MutableList<String>): String {
    var out = "not run"
    val block: suspend () -> Int = { twoSteps(log) }
    block.startCoroutine(object : Continuation<Int> {
        override val context: CoroutineContext = EmptyCoroutineContext
        override fun resumeWith(result: Result<Int>) { out = "result ${result.getOrThrow()}" }
    })
    return out
}

fun main(args: Array<String>) {
    // data classes, operators, destructuring
    val p = Point(1, 2) + Point(3, 4) * 2
    val (px, py) = p
    println("point $p x=$px y=$py neg=${-p} dot=${p dot Point(1, 1)} get=${p[0]},${p[1]} copy=${p.copy(y = 0)} eq=${p == Point(7, 10)}")

    // sealed classes
    val e = Expr.Add(Expr.Num(6), Expr.Mul(Expr.Num(7), Expr.Neg(Expr.Num(3))))
    println("expr ${show(e)} = ${eval(e)}; zero ${eval(Expr.Add(Expr.Zero, Expr.Zero))}")

    // generics
    val sink = Collect<Number>()
    pump(Counter(5), sink, 4)
    println("pumped ${sink.items} max=${maxOf3("pear", "apple", "zucchini")} ${maxOf3(3, 9, 4)}")
    println("describe ${describe(listOf("ccc", "a", "bb"))} sizes ${sizes(listOf(1, "x", null, 2.5, listOf<Int>()))}")
    val mixed: List<Any?> = listOf(1, "two", 3.0, "four", null, 5)
    println("only strings ${mixed.only<String>()} ints ${mixed.only<Int>()} name ${nameOf<StringBuilder>()}")
    println("box ${Box(21).map { it * 2 }.map { "v=$it" }} countWhere ${(1..20).countWhere { it.isPrime() }}")

    // extensions
    println("vowels ${"Programming in Kotlin".vowels()} second ${listOf('a', 'b', 'c').second} primes ${(1..30).filter(Int::isPrime)}")

    // objects and companions
    listOf("x", "y", "x", "z").forEach { Registry.register(it) }
    println("registry $Registry temps ${Temperature.celsius(25.0)} ${Temperature.fahrenheit(212.0)} ${Temperature.ABSOLUTE_ZERO}")
    println("consts $GREETING $FOLDED $FOLDED_STR ${Long.MAX_VALUE / 3} ${0x7f and 0x3c xor 0x01} ${-17 ushr 28} ${1.5e3 / 7}")

    // enums
    println("ops " + Op.values().joinToString { "${it.name}${it.symbol}=${it.apply(3, 4)}" } + " valueOf " + Op.valueOf("POW").ordinal)
    println("moods " + Color.values().map { mood(it) } + " " + enumValues<Color>().last())

    // delegation
    val loud = Loud(Polite())
    println("greet ${loud.greet("Ada")} ${loud.bye()} ${Polite().bye()}")
    val s = Settings(mapOf("name" to "cfg", "level" to 3))
    println("settings ${s.name} ${s.level}")
    val o = Observed()
    o.value = 4; o.value = 9
    println("observed ${o.expensive} ${o.expensive} ${o.log}")

    // when
    val words = "fun val when tailrec Aa BB Ab while nothing class".split(" ")
    println("keywords " + words.map { keyword(it) })
    println("classify " + listOf(-5, 0, 7, 12, 15).map(::classify))
    println("kinds " + listOf(null, 42, "", "abc", listOf(1, 2), Point(0, 1), 'c').map { kind(it) })

    // recursion and exceptions
    println("gcd ${gcd(1071, 462)} sumTo ${sumTo(100000)} oddDigits ${oddDigits(9081726354L)}")
    val trail = mutableListOf<String>()
    println("parse ${listOf("12", "x", "!y").map { parse(it, trail) }} trail $trail")
    val closeLog = mutableListOf<String>()
    val len = Resource("res", closeLog).use { it.use1() }
    val caught = try { Resource("boom", closeLog).use { error("inside ${it.use1()}") } } catch (ex: IllegalStateException) { ex.message }
    println("use $len $caught $closeLog")
    val timing = mutableListOf<String>()
    val m = measure("sq", timing) { (1..10).map { it * it }.sum() }
    println("measure $m $timing")

    // classes
    val shapes = listOf(Circle(1.5), Rect(2.0, 3.5))
    println("shapes " + shapes.joinToString("; ") { it.describe() } + " total " + String.format(Locale.ROOT, "%.4f", shapes.sumByDouble { it.area() }))
    val outer = Outer(100)
    println("inner ${outer.Inner(5).total()} ${Outer.Nested().hi()}")
    val acct = Account()
    acct.owner = "Grace"
    for (d in listOf(300L, 500L, 400L)) acct.deposit(d)
    println("account ${acct.owner} ${acct.balance} ${acct.history} rich=${acct.isRich}")
    val a = Matrix(2); a[0, 0] = 1; a[0, 1] = 2; a[1, 0] = 3; a[1, 1] = 4
    val sq = a * a
    println("matrix $sq has22=${22 in sq} has5=${5 in sq}")
    println("pad ${pad("ab")} ${pad("ab", 4)} ${pad("ab", ch = '*')} total ${total()} ${total(1, 2, 3)} ${total(*intArrayOf(4, 5))}")
    var runs = 0
    twice { runs++ }
    println("twice $runs")

    // nullability
    val maybe: String? = if (args.isEmpty()) null else args[0]
    val lengths = listOf("kotlin", null, "jvm").map { it?.length ?: -1 }
    println("null ${maybe?.length} ${maybe ?: "default"} $lengths ${lengths.filterNotNull().sum()} ${listOf("a", null).firstOrNull()?.let { it + "!" }}")

    // collections and sequences
    val text = "the quick brown fox jumps over the lazy dog the end"
    val freq = text.split(" ").groupingBy { it }.eachCount().toSortedMap()
    println("freq $freq")
    println("byLen " + text.split(" ").distinct().groupBy { it.length }.toSortedMap().mapValues { (_, ws) -> ws.sorted() })
    println("fib " + fibonacci().take(15).toList() + " evenFibSum " + fibonacci().filter { it % 2 == 0L }.takeWhile { it < 4_000_000 }.sum())
    println("gen " + generateSequence(1) { if (it < 200) it * 3 else null }.toList() + " windowed " + (1..7).windowed(3, 2) { it.sum() })
    println("zip " + listOf("a", "b", "c").zip(listOf(1, 2, 3)).map { (k, v) -> "$k$v" } + " assoc " + (1..4).associateWith { it * it })
    println("fold " + (1..5).fold(1L) { acc, x -> acc * x } + " reduce " + listOf("x", "y", "z").reduce { acc, x -> acc + x } + " chunked " + (1..7).chunked(3))
    val people = listOf("Ada" to 36, "Bob" to 25, "Cy" to 36, "Dee" to 19)
    println("sorted " + people.sortedWith(compareByDescending<Pair<String, Int>> { it.second }.thenBy { it.first }).map { it.first } + " partition " + people.partition { it.second > 30 })
    val ints = IntArray(10) { it * it }
    println("array ${ints.joinToString()} rev ${ints.reversed().take(3)} sumOdd ${ints.filterIndexed { i, _ -> i % 2 == 1 }.sum()}")
    println("ranges ${(10 downTo 1 step 3).toList()} ${('a'..'e').joinToString("")} ${(1 until 5).map { it.toChar() + 64 }}")
    val map = mutableMapOf<String, MutableList<Int>>()
    for ((i, w) in text.split(" ").withIndex()) map.getOrPut(w.first().toString()) { mutableListOf() }.add(i)
    println("index ${map.toSortedMap()}")

    // strings
    val raw = """
        |first line
        |  second: ${p.x + p.y}
        |third ${'$'}dollar
    """.trimMargin()
    println(raw)
    println(buildString { for (c in 'a'..'z') if (c.toInt() % 3 == 0) append(c.toUpperCase()) else append(c) })
    println("chars ${"Kotlin".map { it.toInt() }} ${"a,b,,c".split(",")} ${"  trim  ".trim()}|${"x".repeat(3)} ${"%08.3f|%-5s|%x".format(Locale.ROOT, 3.14159, "ab", 255)}")

    // labels and local functions
    val found = mutableListOf<Int>()
    outer@ for (i in 1..5) {
        for (j in 1..5) {
            if (j > i) continue@outer
            if (i * j == 12) break@outer
            if ((i + j) % 3 == 0) found += i * 10 + j
        }
    }
    fun localSquare(n: Int): Int = n * n
    var captured = 0
    val adder = { n: Int -> captured += n; captured }
    adder(3); adder(4)
    println("labels $found local ${localSquare(9)} captured $captured ${listOf(1, 2, 3, 4).forEach { if (it == 3) return@forEach }}")

    // coroutines
    val slog = mutableListOf<String>()
    println("suspend ${runSuspend(slog)} $slog")

    // warnings, on purpose
    val unused = 42
    val redundant = "cast" as String
    println("done $redundant")
}
