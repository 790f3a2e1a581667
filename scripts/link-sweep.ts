/**
 * The verifier over every jar of a directory: splits each jar (default: every jar
 * of Debian's /usr/share/java, symlinks resolved, each once) with the built CLI
 * (`dist/`, so run `npm run build` first) at each limit and link mode, and, for a
 * jar where some method was split, makes HotSpot load and link (verify, JVMS 4.10)
 * every class of the original and of the split with test/java/LinkAll.java under
 * -Xverify:all, the directory's jars as the classpath. A class that links in the
 * original and fails in the split is a bug of ours; one that fails in both (a
 * dependency missing from the directory) is not counted. Also counts refusals and
 * CLI failures. Prints one row per jar, limit and mode that split something, and a
 * summary; exits 1 on a new link failure, a refusal listed with `--no-refusals`
 * or a CLI failure, 2 on a usage error.
 *
 *   npx tsx scripts/link-sweep.ts [--dir /usr/share/java] [--limits 1024,8000]
 *     [--modes auto,switch] [--jobs 2] [--no-refusals] [--with-classpath]
 *
 * `--with-classpath` splits each jar with the directory's other jars as its
 * `--classpath` (the hierarchy then knows every class the directory has), instead
 * of alone, as a user who forgets the option would.
 *
 * The corpus tests link a fixed set of jars in the suite; this is the wider
 * sweep, not part of `npm test` (Debian's 187 jars, 70 with a method over 1,024
 * bytes: 6 to 8 minutes for two link modes on two cores).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { linkAll } from "../test/support/jvm.js";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const cli = join(root, "dist/src/cli/main.js");

const { values: opt } = parseArgs({
  options: {
    dir: { type: "string", default: "/usr/share/java" },
    limits: { type: "string", default: "1024,8000" },
    modes: { type: "string", default: "auto,switch" },
    jobs: { type: "string", default: "2" },
    "no-refusals": { type: "boolean", default: false },
    "with-classpath": { type: "boolean", default: false },
  },
});
const limits = opt.limits.split(",").map(Number);
const modes = opt.modes.split(",");
const jobs = Number(opt.jobs);
if (limits.some((l) => !Number.isInteger(l) || l <= 0) || !Number.isInteger(jobs) || jobs < 1 || modes.some((m) => !["auto", "direct", "switch", "indy"].includes(m))) {
  console.error("usage: link-sweep.ts [--dir DIR] [--limits 1024,8000] [--modes auto,switch] [--jobs N] [--no-refusals] [--with-classpath]");
  process.exit(2);
}

const jars = [...new Set(readdirSync(opt.dir).filter((f) => f.endsWith(".jar")).map((f) => realpathSync(join(opt.dir, f))))].sort();
const work = mkdtempSync(join(tmpdir(), "link-sweep-"));

interface SplitOutcome {
  status: number;
  split: number;
  refused: string[];
  stderr: string;
}

function splitJar(jar: string, out: string, limit: number, mode: string): Promise<SplitOutcome> {
  return new Promise((done, fail) => {
    const classpath = opt["with-classpath"] ? ["--classpath", jars.filter((j) => j !== jar).join(delimiter)] : [];
    const child = spawn(process.execPath, [cli, "split", jar, "-o", out, "--max-size", String(limit), "--link", mode, "--json", ...classpath], { env: { ...process.env, FORCE_COLOR: "0" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", fail);
    child.on("close", (status) => {
      let split = 0;
      let parsed = true;
      const refused: string[] = [];
      try {
        const report = JSON.parse(stdout) as { methods: { status: string; className: string; method: string; code?: string }[] };
        for (const m of report.methods) {
          if (m.status === "split") split++;
          else refused.push(`${m.className}.${m.method} ${m.status} ${m.code ?? ""}`.trim());
        }
      } catch {
        parsed = false; // no JSON report: a CLI failure
      }
      done({ status: parsed ? (status ?? -1) : -1, split, refused, stderr: parsed ? stderr : `no JSON report on stdout (exit ${status}); ${stderr}` });
    });
  });
}

/** Per original jar: how many classes it has and which of them fail to link, and how. */
const originals = new Map<string, Promise<{ classes: number; failed: Set<string> }>>();
/** `<class> <exception class>` of a LinkAll failure line: a class that failed before the split for another reason still counts. */
const failureKey = (failure: string) => failure.split(" ").slice(0, 2).join(" ");

interface Row {
  jar: string;
  limit: number;
  mode: string;
  split: number;
  refused: string[];
  cliFailure?: string;
  newFailures: string[];
}

async function sweepOne(jar: string, limit: number, mode: string, n: number): Promise<Row> {
  const out = join(work, `${n}-${basename(jar)}`);
  const row: Row = { jar, limit, mode, split: 0, refused: [], newFailures: [] };
  try {
    const s = await splitJar(jar, out, limit, mode);
    row.split = s.split;
    row.refused = s.refused;
    if (s.status !== 0) {
      row.cliFailure = `exit ${s.status}: ${s.stderr.trim().split("\n").slice(-3).join(" | ")}`;
      return row;
    }
    if (s.split === 0) return row;
    const classpath = jars.filter((j) => j !== jar);
    if (!originals.has(jar)) originals.set(jar, linkAll(jar, { classpath }).then((r) => ({ classes: r.linked + r.failures.length, failed: new Set(r.failures.map(failureKey)) })));
    const [before, after] = await Promise.all([originals.get(jar)!, linkAll(out, { classpath })]);
    row.newFailures = after.failures.filter((f) => !before.failed.has(failureKey(f)));
    // The split drops no class (it may add helper classes, `<class>$megasplit`): fewer means the two runs did not link the same jar.
    const classes = after.linked + after.failures.length;
    if (classes < before.classes) row.newFailures.push(`(${before.classes} classes in the original, ${classes} in the split)`);
    return row;
  } catch (e) {
    // The JVM died without a summary, or a tool is missing: reported as a failure of this run.
    row.cliFailure = `could not run: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
    return row;
  } finally {
    rmSync(out, { force: true });
    rmSync(`${out}.mapping`, { force: true });
  }
}

const tasks = jars.flatMap((jar) => limits.flatMap((limit) => modes.map((mode) => ({ jar, limit, mode }))));
const rows: Row[] = [];
let next = 0;
async function worker(): Promise<void> {
  while (next < tasks.length) {
    const n = next++;
    const t = tasks[n]!;
    const row = await sweepOne(t.jar, t.limit, t.mode, n);
    rows.push(row);
    if (row.split > 0 || row.refused.length > 0 || row.cliFailure) {
      const verdict = row.cliFailure ? `CLI FAILED ${row.cliFailure}` : row.newFailures.length > 0 ? `NEW LINK FAILURES: ${row.newFailures.join("; ")}` : "links";
      console.log(`${basename(t.jar)} --max-size ${t.limit} --link ${t.mode}: ${row.split} split, ${row.refused.length} refused; ${verdict}`);
    }
  }
}
try {
  await Promise.all(Array.from({ length: jobs }, worker));
} finally {
  rmSync(work, { recursive: true, force: true });
}
// Rows in task order, whatever order the jobs finished in.
const order = new Map(tasks.map((t, i) => [`${t.jar} ${t.limit} ${t.mode}`, i]));
rows.sort((a, b) => order.get(`${a.jar} ${a.limit} ${a.mode}`)! - order.get(`${b.jar} ${b.limit} ${b.mode}`)!);

const bad = rows.filter((r) => r.cliFailure || r.newFailures.length > 0 || (opt["no-refusals"] && r.refused.length > 0));
const total = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0);
console.log(
  `\n${jars.length} jars x ${limits.length} limits x ${modes.length} modes: ${total((r) => r.split)} methods split in ${rows.filter((r) => r.split > 0).length} runs, ` +
    `${total((r) => r.refused.length)} refused, ${rows.filter((r) => r.cliFailure).length} CLI failures, ${total((r) => r.newFailures.length)} classes that link before the split and not after`,
);
for (const r of rows) for (const m of r.refused) console.log(`  refused (${basename(r.jar)}, ${r.limit}, ${r.mode}): ${m}`);
process.exit(bad.length > 0 ? 1 : 0);
