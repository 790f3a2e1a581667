/**
 * The workloads that run real WebAssembly modules in the tests: JavaScript
 * snippets evaluated by QuickJS (each result or error as a string) and an SQL
 * script run by SQLite (sql.js), each loaded by its package's own loader with the
 * module bytes swapped, so a rewritten module's output can be compared with the
 * original's.
 */
import initSqlJs from "sql.js";
import type releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant, newVariant } from "quickjs-emscripten-core";

export const JS_SNIPPETS = [
  "1 + 2",
  "JSON.stringify([3, 1, 2].sort().map((x) => x * 2))",
  "(function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) })(20)",
  "let s = ''; for (let i = 0; i < 1000; i++) s += String.fromCharCode(65 + (i % 26)); s.length + s.slice(0, 30)",
  "JSON.stringify(Object.entries({ a: 1, b: [2, 3], c: { d: 'e' } }))",
  "try { null.x } catch (e) { e.constructor.name + ': ' + e.message }",
  "[...new Set([1, 2, 2, 3, 3, 3])].join(',') + ' ' + new Map([[1, 'a']]).get(1)",
  "'The Quick Brown'.replace(/(\\w+)/g, (m) => m.toUpperCase()).split(' ').reverse().join('-')",
  "String(2n ** 100n)",
  "function* g() { yield 1; yield 2; yield 3 } [...g()].reduce((a, b) => a + b)",
  "Math.sqrt(2).toFixed(10) + ' ' + (0.1 + 0.2) + ' ' + Number.MAX_SAFE_INTEGER.toString(36) + ' ' + Math.sin(1) + ' ' + 1e21 / 7",
  "new Float64Array([1.5, -2.25, NaN]).join(';') + ' ' + new Uint8Array(new Uint32Array([0x01020304]).buffer).join()",
  "class A { #x = 3; get x() { return this.#x } } class B extends A { toString() { return 'B' + this.x } } String(new B())",
  "JSON.stringify(JSON.parse('{\"k\":[1,2,{\"z\":null}]}'))",
  "new Proxy({}, { get: (t, k) => k + '!' }).hello",
  "Array.from({ length: 10 }, (_, i) => i * i).filter((x) => x % 2).toString()",
  "'\\u00e9\\u4e2d'.normalize('NFD').length + ' ' + 'stra\\u00dfe'.toUpperCase()",
  "new Date(0).toISOString() + ' ' + Date.UTC(2020, 1, 29)",
  "/(?<year>\\d{4})-(?<m>\\d\\d)/.exec('on 2024-05').groups.year",
  "let o = {}; for (let i = 0; i < 5000; i++) o['k' + i] = i; Object.keys(o).length + ' ' + o.k4999",
  "[5, 3, 9, 1, 7].map(String).sort((a, b) => b.localeCompare(a)).join('')",
  "undefinedVariable + 1",
];

export async function quickjsOutputs(variant: typeof releaseVariant, bytes: Uint8Array): Promise<string[]> {
  const QuickJS = await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmModule: new WebAssembly.Module(bytes) }));
  return JS_SNIPPETS.map((code) => {
    try {
      return `ok ${JSON.stringify(QuickJS.evalCode(code))}`;
    } catch (e) {
      return `error ${String(e)}`;
    }
  });
}

export const SQL_SCRIPT = `
  CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
    INSERT INTO t(name, score, data) SELECT 'name' || (i * 7 % 101), i * 1.5 / 7, randomblob(0) || x'00ff' FROM n;
  CREATE INDEX t_name ON t(name);
  SELECT count(*), sum(score), avg(score), min(name), max(name), group_concat(DISTINCT length(name)) FROM t;
  SELECT name, count(*) AS c, printf('%.3f', total(score)) FROM t GROUP BY name ORDER BY c DESC, name LIMIT 5;
  SELECT id, sum(score) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t WHERE id % 400 = 0;
  SELECT upper('héllo'), substr('abcdef', 2, 3), replace('a-b-c', '-', '+'), hex(x'deadbeef'), instr('banana', 'nan');
  SELECT a.id, b.id FROM t a JOIN t b ON b.id = a.id * 3 WHERE a.id < 4;
  SELECT typeof(1), typeof(1.0), typeof('x'), typeof(x'00'), typeof(NULL), 7 / 2, 7.0 / 2, -7 % 3, abs(-2.5), round(2.345, 2);
  SELECT datetime(0, 'unixepoch'), julianday('2000-01-01'), strftime('%Y-%j', '2024-12-31');
`;

export async function sqlOutputs(bytes: Uint8Array): Promise<string> {
  const SQL = await initSqlJs({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  const db = new SQL.Database();
  try {
    return JSON.stringify(db.exec(SQL_SCRIPT));
  } finally {
    db.close();
  }
}

