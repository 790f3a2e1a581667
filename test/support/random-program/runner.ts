/**
 * Runs cases (directories of class files of one program, unsplit or split) in
 * batches on one JVM each, through test/java/DiffRunner.java, under
 * -Xverify:all so every class is verified as it links. Helpful NullPointer
 * messages are off (they name local slots, which a split renumbers), and C1 only
 * keeps start-up and compile time small. DiffRunner is compiled once per source
 * version (`java-helper.ts`). A case that times out ends its JVM; the cases
 * after it run again in a fresh one. Cost: one JVM start (about 0.3 s) per batch,
 * plus a few milliseconds per case.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { jdkTool } from "../corpus.js";
import { compileJavaHelper } from "../java-helper.js";
import { SEEDS } from "./emit-class.js";

const source = resolve(dirname(fileURLToPath(import.meta.url)), "../../java/DiffRunner.java");
export const CASE_TIMEOUT_MS = 20_000;

function compileRunner(): string {
  return compileJavaHelper(source);
}

export interface Case {
  name: string;
  dir: string;
}

function runOnce(list: string, cases: Case[]): Promise<{ results: Map<string, string>; stderr: string }> {
  writeFileSync(list, cases.map((c) => `${c.name}\t${c.dir}\n`).join(""));
  const args = ["-Xverify:all", "-XX:-ShowCodeDetailsInExceptionMessages", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m", "-cp", compileRunner(), "DiffRunner", list, String(CASE_TIMEOUT_MS), ...SEEDS.map(String)];
  return new Promise((resolvePromise, reject) => {
    execFile(jdkTool("java"), args, { maxBuffer: 1 << 28, encoding: "utf8" }, (error, stdout, stderr) => {
      const results = new Map<string, string>();
      for (const line of stdout.split("\n")) {
        const tab = line.indexOf("\t");
        if (tab > 0) results.set(line.slice(0, tab), line.slice(tab + 1));
      }
      if (error && typeof error.code === "string") reject(new Error(`DiffRunner could not run: ${error.message}`));
      else resolvePromise({ results, stderr });
    });
  });
}

/** The output line of every case, by name (`TIMEOUT` for one that ran too long). */
export async function runCases(workDir: string, cases: Case[]): Promise<Map<string, string>> {
  const results = new Map<string, string>();
  let rest = cases;
  while (rest.length > 0) {
    const { results: got, stderr } = await runOnce(join(workDir, "cases.txt"), rest);
    for (const [k, v] of got) results.set(k, v);
    let next = rest.findIndex((c) => !results.has(c.name));
    if (next < 0) break;
    // The JVM died inside this case without a line (a timeout prints one): record it, go on after it.
    if (next === 0) {
      results.set(rest[0]!.name, `JVM ENDED ${stderr.replace(/\s+/g, " ").slice(0, 300)}`);
      next = 1;
    }
    rest = rest.slice(next);
  }
  return results;
}
