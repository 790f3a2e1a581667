// A Scala 2.11 program for test/split-scala.test.ts: compiled by scalac split by
// megasplit and by the unsplit scalac (their class files must be identical), then
// run. It reaches much of the compiler: the pattern matcher, case classes, traits
// and their linearisation, implicits and type classes, for-comprehensions, lazy
// vals, by-name parameters, value classes, XML literals, string interpolation,
// specialisation, tail calls, enumerations, structural types and closures.
package features

import scala.annotation.tailrec
import scala.collection.mutable
import scala.language.reflectiveCalls
import scala.util.{Failure, Success, Try}

/** Documented for scaladoc: an arithmetic expression. */
sealed trait Expr
case class Num(value: Double) extends Expr
case class Var(name: String) extends Expr
case class BinOp(op: Char, left: Expr, right: Expr) extends Expr
case class Neg(e: Expr) extends Expr
case class Let(name: String, bound: Expr, body: Expr) extends Expr

object Expr {
  def eval(e: Expr, env: Map[String, Double]): Double = e match {
    case Num(v) => v
    case Var(n) => env.getOrElse(n, sys.error(s"unbound $n"))
    case BinOp('+', l, r) => eval(l, env) + eval(r, env)
    case BinOp('-', l, r) => eval(l, env) - eval(r, env)
    case BinOp('*', l, Num(0)) => 0
    case BinOp('*', l, r) => eval(l, env) * eval(r, env)
    case BinOp('/', l, r) =>
      val d = eval(r, env)
      if (d == 0) Double.NaN else eval(l, env) / d
    case BinOp(op, _, _) => sys.error(s"bad operator $op")
    case Neg(Neg(x)) => eval(x, env)
    case Neg(x) => -eval(x, env)
    case Let(n, b, body) => eval(body, env + (n -> eval(b, env)))
  }

  def simplify(e: Expr): Expr = e match {
    case BinOp('+', Num(0), x) => simplify(x)
    case BinOp('+', x, Num(0)) => simplify(x)
    case BinOp('*', Num(1), x) => simplify(x)
    case BinOp('*', x, Num(1)) => simplify(x)
    case BinOp(op, l, r) => BinOp(op, simplify(l), simplify(r))
    case Neg(Num(v)) => Num(-v)
    case Let(n, b, body) => Let(n, simplify(b), simplify(body))
    case other => other
  }

  def show(e: Expr): String = e match {
    case Num(v) if v == v.floor => v.toLong.toString
    case Num(v) => v.toString
    case Var(n) => n
    case BinOp(op, l, r) => s"(${show(l)} $op ${show(r)})"
    case Neg(x) => s"-${show(x)}"
    case Let(n, b, body) => s"let $n = ${show(b)} in ${show(body)}"
  }
}

/** A tiny parser of the expressions above, by recursive descent. */
class Parser(text: String) {
  private var pos = 0
  private def peek: Char = if (pos < text.length) text(pos) else '\u0000'
  private def skip(): Unit = while (peek == ' ') pos += 1
  def parse(): Expr = { val e = sum(); skip(); require(pos == text.length, s"junk at $pos"); e }
  private def sum(): Expr = {
    var l = product()
    skip()
    while (peek == '+' || peek == '-') { val op = peek; pos += 1; l = BinOp(op, l, product()); skip() }
    l
  }
  private def product(): Expr = {
    var l = atom()
    skip()
    while (peek == '*' || peek == '/') { val op = peek; pos += 1; l = BinOp(op, l, atom()); skip() }
    l
  }
  private def atom(): Expr = {
    skip()
    peek match {
      case '(' => pos += 1; val e = sum(); skip(); pos += 1; e
      case '-' => pos += 1; Neg(atom())
      case c if c.isDigit =>
        val start = pos
        while (peek.isDigit || peek == '.') pos += 1
        Num(text.substring(start, pos).toDouble)
      case c if c.isLetter =>
        val start = pos
        while (peek.isLetterOrDigit) pos += 1
        Var(text.substring(start, pos))
      case c => sys.error(s"unexpected '$c' at $pos")
    }
  }
}

trait Shape { def area: Double; def name: String = getClass.getSimpleName }
trait Loud extends Shape { override def name: String = super.name.toUpperCase }
trait Quoted extends Shape { override def name: String = "\"" + super.name + "\"" }
case class Circle(r: Double) extends Shape { def area: Double = math.Pi * r * r }
case class Rect(w: Double, h: Double) extends Shape { def area: Double = w * h }

trait Show[A] { def show(a: A): String }
object Show {
  implicit val intShow: Show[Int] = new Show[Int] { def show(a: Int) = s"i$a" }
  implicit val stringShow: Show[String] = new Show[String] { def show(a: String) = s"'$a'" }
  implicit def listShow[A](implicit s: Show[A]): Show[List[A]] = new Show[List[A]] {
    def show(as: List[A]) = as.map(s.show).mkString("[", ",", "]")
  }
  implicit def pairShow[A, B](implicit a: Show[A], b: Show[B]): Show[(A, B)] = new Show[(A, B)] {
    def show(p: (A, B)) = s"<${a.show(p._1)}|${b.show(p._2)}>"
  }
}
object Syntax {
  implicit class ShowOps[A](val a: A) extends AnyVal { def shown(implicit s: Show[A]): String = s.show(a) }
}

class Meters(val value: Double) extends AnyVal {
  def +(o: Meters): Meters = new Meters(value + o.value)
  override def toString: String = f"$value%.2fm"
}

object Color extends Enumeration {
  val Red, Green, Blue = Value
}

class Box[@specialized(Int, Double) T](val item: T) {
  def map[@specialized(Int, Double) U](f: T => U): Box[U] = new Box(f(item))
}

object Main {
  @tailrec def gcd(a: Long, b: Long): Long = if (b == 0) a else gcd(b, a % b)

  def time[A](label: String)(body: => A): A = { val r = body; println(s"$label done"); r }

  lazy val primes: Stream[Int] = 2 #:: Stream.from(3).filter(n => primes.takeWhile(p => p * p <= n).forall(n % _ != 0))

  def describe(x: Any): String = x match {
    case 0 => "zero"
    case i: Int if i < 0 => "negative int"
    case i: Int => s"int $i"
    case s: String if s.isEmpty => "empty string"
    case s: String => s"string of ${s.length}"
    case (a, b) => s"pair of ${describe(a)} and ${describe(b)}"
    case xs: List[_] => s"list of ${xs.size}"
    case Some(v) => s"some ${describe(v)}"
    case None => "none"
    case _ => "something else"
  }

  def keyword(s: String): Int = s match {
    case "abstract" => 1; case "case" => 2; case "catch" => 3; case "class" => 4
    case "def" => 5; case "do" => 6; case "else" => 7; case "extends" => 8
    case "final" => 9; case "finally" => 10; case "for" => 11; case "if" => 12
    case "implicit" => 13; case "import" => 14; case "lazy" => 15; case "match" => 16
    case "object" => 17; case "override" => 18; case "package" => 19; case "private" => 20
    case _ => 0
  }

  def main(args: Array[String]): Unit = {
    val sources = List("1 + 2 * 3", "(1 + 2) * 3", "x * (y - 4) / 2", "-(-(7))", "0 + z * 1", "10 / (5 - 5)")
    val env = Map("x" -> 3.0, "y" -> 10.0, "z" -> 2.5)
    for (src <- sources) {
      val e = new Parser(src).parse()
      val s = Expr.simplify(e)
      println(s"${Expr.show(e)} => ${Expr.show(s)} = ${Expr.eval(s, env)}")
    }
    println(Expr.eval(Let("a", Num(4), BinOp('*', Var("a"), Var("a"))), Map.empty))
    println(Try(new Parser("1 + ?").parse()) match { case Success(e) => e.toString; case Failure(t) => "failed: " + t.getMessage })

    val shapes: List[Shape] = List(Circle(1), new Rect(2, 3) with Loud, new Circle(2) with Loud with Quoted)
    shapes.sortBy(_.area).foreach(s => println(f"${s.name}%-12s ${s.area}%8.3f"))

    import Syntax._
    println(List(1, 2, 3).shown)
    println((("a", List(4, 5)): (String, List[Int])).shown)

    val pairs = for {
      i <- 1 to 4
      j <- i to 4 if (i + j) % 2 == 0
    } yield (i, j)
    println(pairs.mkString(" "))

    val counts = mutable.LinkedHashMap[Char, Int]()
    "the quick brown fox jumps over the lazy dog".filter(_ != ' ').foreach(c => counts(c) = counts.getOrElse(c, 0) + 1)
    println(counts.toList.sortBy { case (c, n) => (-n, c) }.take(5).map { case (c, n) => s"$c$n" }.mkString(","))

    println(primes.take(15).toList)
    println(gcd(1071L * 1000003, 462L * 1000003))
    println(time("sum")((1 to 100).map(i => i * i).sum))
    println((new Meters(1.5) + new Meters(2.25)).toString)
    println(Color.values.toList.map(c => c.toString + c.id).mkString(" "))
    println(new Box(21).map(_ * 2).item + " " + new Box(1.5).map(_ + 1).item)
    println(List[Any](0, -5, 42, "", "scala", (1, "x"), List(1, 2), Some(3), None, 2.5).map(describe).mkString("; "))
    println(List("case", "match", "yield", "private", "lazy").map(keyword).sum)

    val duck = new { def quack(n: Int): String = "quack" * n }
    println(duck.quack(2))

    val pf: PartialFunction[Int, String] = { case 1 => "one"; case 2 => "two" }
    println((1 to 3).collect(pf).mkString("+"))
    println((1 to 5).foldLeft(List.empty[Int])((acc, i) => i :: acc).reverse.grouped(2).toList)
    println(Vector.tabulate(3, 3)((i, j) => i * 3 + j).map(_.sum))
    println(Either.cond(args.isEmpty, "no args", 0).fold(identity, _.toString))

    val doc = <shapes>{shapes.map(s => <shape name={s.name}>{s.area.toInt}</shape>)}</shapes>
    println((doc \ "shape").map(n => (n \ "@name").text + "=" + n.text).mkString(", "))

    var resource = "closed"
    try { resource = "open"; throw new IllegalStateException("boom") }
    catch { case e: IllegalStateException => println("caught " + e.getMessage) }
    finally { resource = "closed again" }
    println(resource)
  }
}
