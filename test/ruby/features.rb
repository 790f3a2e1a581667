# A Ruby program for test/split-jruby.test.ts: methods, hashes, classes, ranges, format,
# exceptions, JSON (the stdlib, loaded at run time), eval, regexps, Struct, lazy enumerators.
# Deterministic output.
def fib(n); n < 2 ? n : fib(n - 1) + fib(n - 2); end
puts fib(20)
h = Hash.new(0)
"the quick brown fox jumps over the lazy dog the end".split.each { |w| h[w] += 1 }
puts h.sort.map { |k, v| "#{k}=#{v}" }.join(",")
class Shape; def area; 0; end; end
class Sq < Shape; def initialize(a); @a = a; end; def area; @a * @a; end; end
puts [Sq.new(3), Sq.new(4)].sum(&:area)
puts (1..10).each_slice(3).map(&:sum).inspect
puts "%.3f %05d %s" % [Math::PI, 42, :sym]
begin; raise ArgumentError, "bad"; rescue => e; puts "rescued #{e.class}: #{e.message}"; end
puts [3, 1, 2].sort.reverse.inspect, { a: 1, b: [1, 2] }.to_a.flatten.inspect
require 'json'
puts JSON.generate({ "x" => [1, 2.5, nil, true] })
puts JSON.parse('{"a": [1, {"b": "c"}]}').inspect
puts eval("[1,2,3].map { |x| x * 7 }").inspect
puts "regexp: #{'2026-12-05'.scan(/\d+/).inspect} #{'Hello World'.gsub(/o/, '0')}"
Point = Struct.new(:x, :y) do; def dist; Math.sqrt(x * x + y * y); end; end
puts Point.new(3, 4).dist
puts (1..5).lazy.map { |x| x * x }.select(&:even?).to_a.inspect
