# Exercises Jython's compiler and runtime and the precompiled standard library in
# jython.jar, whose largest methods are module bodies (decimal, datetime, argparse,
# minidom, pickletools, locale): classes, generators, closures, comprehensions,
# exceptions, formatting, and source compiled at run time with compile()/exec.
from __future__ import print_function
import StringIO, argparse, collections, datetime, decimal, json, locale, pickle, pickletools, re
import xml.dom.minidom

class Vector(object):
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o):
        return Vector(self.x + o.x, self.y + o.y)
    def __mul__(self, k):
        return Vector(self.x * k, self.y * k)
    def __repr__(self):
        return "Vector(%r, %r)" % (self.x, self.y)

def primes(limit):
    sieve = [True] * (limit + 1)
    for i in range(2, limit + 1):
        if sieve[i]:
            yield i
            for j in range(i * i, limit + 1, i):
                sieve[j] = False

def counter(start):
    state = [start]
    def step(by=1):
        state[0] += by
        return state[0]
    return step

def queens(n):
    def place(row, cols, d1, d2):
        if row == n:
            return 1
        return sum(place(row + 1, cols | {c}, d1 | {row - c}, d2 | {row + c})
                   for c in range(n) if c not in cols and row - c not in d1 and row + c not in d2)
    return place(0, frozenset(), frozenset(), frozenset())

print("vector:", (Vector(1, 2) + Vector(3, 4)) * 3)
ps = list(primes(5000))
print("primes:", len(ps), ps[-3:], sum(ps))
step = counter(10)
print("closure:", step(), step(5), step())
print("queens:", [queens(n) for n in range(1, 8)])
words = "the quick brown fox jumps over the lazy dog the end".split()
print("counter:", sorted(collections.Counter(words).items(), key=lambda kv: (-kv[1], kv[0]))[:4])
print("comprehensions:", {w: len(w) for w in words if len(w) > 4}.items().__len__(), sorted({len(w) for w in words}), [x * x for x in range(10) if x % 3])
try:
    {}["missing"]
except KeyError as e:
    print("exception:", repr(e))
finally:
    print("finally ran")

decimal.getcontext().prec = 40
print("decimal:", decimal.Decimal(1) / decimal.Decimal(7), decimal.Decimal("2").sqrt())
d = datetime.datetime(2024, 2, 28, 23, 30) + datetime.timedelta(hours=1, minutes=45)
print("datetime:", d.isoformat(), d.strftime("%A %j"), (datetime.date(2025, 1, 1) - datetime.date(2024, 1, 1)).days)
parser = argparse.ArgumentParser(prog="demo")
parser.add_argument("--count", type=int, default=3)
parser.add_argument("names", nargs="*")
ns = parser.parse_args(["--count", "7", "ada", "grace"])
print("argparse:", ns.count, ns.names)
print("locale:", locale.normalize("en_us"), sorted(locale.locale_alias.items())[:2])
doc = xml.dom.minidom.parseString("<root><item n='1'>a</item><item n='2'>b &amp; c</item></root>")
print("minidom:", [(i.getAttribute("n"), i.firstChild.data) for i in doc.getElementsByTagName("item")])
buf = StringIO.StringIO()
pickletools.dis(pickle.dumps({"k": [1, 2.5, "s"]}, 0), out=buf)
print("pickletools:", buf.getvalue().splitlines()[-4:])
print("pickle:", pickle.loads(pickle.dumps({"k": [1, 2.5, "s"]}, 2)), len(list(pickletools.genops(pickle.dumps([1, 2, 3], 2)))))
print("json:", json.dumps({"b": [1, 2], "a": {"c": None}}, sort_keys=True), json.loads('{"x": [1.5, true]}'))
print("regex:", re.findall(r"(\d{4})-(\d\d)", "2024-01 and 1999-12"), re.sub(r"o(\w)", lambda m: m.group(1).upper(), "hello world"))
source = """
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
result = [fib(i) for i in range(0, 200, 25)]
"""
env = {}
exec(compile(source, "<generated>", "exec"), env)
print("exec:", env["result"])
print("format: {0:>8.3f}|{1:<6}|{2:^7}|{3:x}".format(3.14159, "ab", "mid", 255), "%05d %s" % (42, [None, True]))
