/**
 * The house limits on production code (src/, passes/, runtime/): no file over 800
 * lines, no function over about 150. Lists every file and function over the
 * limits, largest first; exits 1 when there is one.
 *
 *   npx tsx scripts/check-code-size.ts [--max-file 800] [--max-function 150]
 *
 * A function is a function declaration, method, arrow function or function
 * expression, measured from its first to its last line, nested ones included in
 * their parent's count (that is what a reader has to hold).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const maxFile = opt("--max-file", 800);
const maxFunction = opt("--max-function", 150);

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const over: { what: string; lines: number }[] = [];
for (const dir of ["src", "passes", "runtime"]) {
  for (const f of files(join(root, dir))) {
    const text = readFileSync(f, "utf8");
    const rel = relative(root, f);
    const lines = text.split("\n").length;
    if (lines > maxFile) over.push({ what: `file ${rel}`, lines });
    const sf = ts.createSourceFile(f, text, ts.ScriptTarget.ES2022, true);
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isConstructorDeclaration(n)) {
        const start = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const end = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
        const len = end - start + 1;
        if (len > maxFunction) {
          const name = (n as { name?: ts.Node }).name?.getText(sf) ?? "(anonymous)";
          over.push({ what: `function ${name} in ${rel}:${start + 1}`, lines: len });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
}
over.sort((a, b) => b.lines - a.lines);
for (const o of over) process.stdout.write(`${String(o.lines).padStart(5)}  ${o.what}\n`);
process.stdout.write(over.length === 0 ? `no file over ${maxFile} lines, no function over ${maxFunction}\n` : `${over.length} over the limits (file ${maxFile}, function ${maxFunction})\n`);
process.exit(over.length > 0 ? 1 : 0);
