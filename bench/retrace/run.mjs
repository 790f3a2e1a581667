/**
 * bench/retrace: retraces a generated ~100 MB log (many traces: piece frames, causes,
 * suppressed exceptions, `... N more`, unrelated log lines) with the streaming API
 * (runtime/retrace/stream.ts) in a child process, and prints lines per second and
 * the child's peak RSS, next to a reference run in the same invocation that only
 * reads and splits the same file into lines: memory must stay flat (bounded by the
 * retracer's state, not the input), and the ratio shows what retracing costs.
 * Writes bench/retrace/chart.svg (bench/lib/chart.mjs). The children run the
 * TypeScript sources under tsx (a dev dependency).
 *
 *   npm run bench -- retrace [MB]      (or: node bench/retrace/run.mjs [MB])
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBarChart } from "../lib/chart.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const targetMB = Number(process.argv[2] ?? 100);
const dir = mkdtempSync(join(tmpdir(), "bench-retrace-"));
const mapping = join(dir, "app.mapping");
const log = join(dir, "app.log");

// A mapping like a split of 200 classes with 5 split methods of 4 pieces each.
const m = ['# {"id":"com.android.tools.r8.mapping","version":"2.2"}'];
for (let c = 0; c < 200; c++) {
  m.push(`org.example.gen.C${c} -> org.example.gen.C${c}:`, `# {"id":"sourceFile","fileName":"C${c}.java"}`);
  for (let k = 0; k < 5; k++)
    for (let p = 1; p <= 4; p++) {
      const base = 1000 * k + 200 * p;
      for (let r = 0; r < 10; r++) m.push(`    ${base + 10 * r}:${base + 10 * r + 7}:int m${k}(int,java.lang.String):${base + 10 * r}:${base + 10 * r + 7} -> m${k}$split$${p}`);
    }
}
writeFileSync(mapping, m.join("\n") + "\n");

// The log: traces with piece frames, a cause, a suppressed exception, and unrelated lines.
await new Promise((resolve) => {
  const out = createWriteStream(log);
  let bytes = 0;
  let n = 0;
  const write = () => {
    let ok = true;
    while (ok && bytes < targetMB * 1e6) {
      const c = n % 200;
      const k = n % 5;
      const p = 1 + (n % 4);
      const line = 1000 * k + 200 * p + 10 * (n % 10) + (n % 7);
      const lines = [
        `2024-05-01 12:00:${String(n % 60).padStart(2, "0")} INFO request ${n} served in ${n % 97} ms`,
        `2024-05-01 12:00:${String(n % 60).padStart(2, "0")} ERROR request ${n} failed`,
        `java.lang.IllegalStateException: failure ${n}`,
        `\tat org.example.gen.C${c}.m${k}$split$${p}(C${c}.java:${line})`,
        `\tat org.example.gen.C${c}.m${k}(C${c}.java:${1000 * k + 5})`,
        `\tat org.example.gen.C${(c + 1) % 200}.m${(k + 1) % 5}$split$1(C${(c + 1) % 200}.java:${1000 * ((k + 1) % 5) + 203})`,
        `\tat org.example.gen.C${(c + 1) % 200}.m${(k + 1) % 5}(C${(c + 1) % 200}.java:${1000 * ((k + 1) % 5) + 7})`,
        `\tat app//org.example.Server.handle(Server.java:88) ~[server.jar:2.1]`,
        `\tat java.base/java.lang.Thread.run(Thread.java:833)`,
        `\tSuppressed: java.io.IOException: close ${n}`,
        `\t\tat org.example.gen.C${c}.m${k}$split$${p}(C${c}.java:${line + 1})`,
        `\t\t... 5 more`,
        `Caused by: java.lang.ArithmeticException: / by zero`,
        `\tat org.example.gen.C${c}.m${k}$split$${(p % 4) + 1}(C${c}.java:${1000 * k + 200 * ((p % 4) + 1) + 3})`,
        `\t... 6 more`,
      ];
      const s = lines.join("\n") + "\n";
      bytes += s.length;
      n++;
      ok = out.write(s);
    }
    if (bytes >= targetMB * 1e6) out.end(resolve);
    else out.once("drain", write);
  };
  write();
});

const child = (mode) => {
  const code = `
    import { createReadStream } from "node:fs";
    import { Writable } from "node:stream";
    import { loadMappings, retraceStream, linesOf } from ${JSON.stringify(join(root, "runtime/retrace/index.ts"))};
    const t0 = performance.now();
    let lines = 0, bytesOut = 0;
    if (${JSON.stringify(mode)} === "retrace") {
      const { index } = loadMappings([${JSON.stringify(mapping)}]);
      const sink = new Writable({ write(chunk, _e, cb) { bytesOut += chunk.length; cb(); } });
      const r = await retraceStream(index, createReadStream(${JSON.stringify(log)}), sink);
      lines = r.linesIn;
    } else {
      for await (const l of linesOf(createReadStream(${JSON.stringify(log)}))) { lines++; bytesOut += l.length; }
    }
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ lines, ms, bytesOut, maxRssKB: process.resourceUsage().maxRSS, heapUsed: process.memoryUsage().heapUsed }));
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop());
};

const size = statSync(log).size;
const ref = child("read");
const ret = child("retrace");
const fmt = (x) => `${(x.lines / (x.ms / 1000) / 1e6).toFixed(2)} M lines/s  ${(size / 1e6 / (x.ms / 1000)).toFixed(1)} MB/s  ${(x.ms / 1000).toFixed(2)} s  peak RSS ${(x.maxRssKB / 1024).toFixed(0)} MB`;
console.log(`bench/retrace: ${(size / 1e6).toFixed(1)} MB log, ${ret.lines} lines, mapping ${m.length} lines, node ${process.version}`);
console.log(`  read + split lines   ${fmt(ref)}`);
console.log(`  retraceStream        ${fmt(ret)}   output ${(ret.bytesOut / 1e6).toFixed(1)} MB`);
console.log(`  retrace / read time  ${(ret.ms / ref.ms).toFixed(2)}x; peak RSS ${(ret.maxRssKB / 1024).toFixed(0)} MB for a ${(size / 1e6).toFixed(0)} MB input`);
const linesPerS = (x) => x.lines / (x.ms / 1000) / 1e6;
const chart = writeBarChart(join(root, "bench/retrace/chart.svg"), {
  title: `bench/retrace: ${(size / 1e6).toFixed(0)} MB log, lines/s (higher is better), peak RSS`,
  groups: ["M lines/s", "peak RSS MB"],
  series: ["read + split lines", "retraceStream"],
  values: [
    [linesPerS(ref), linesPerS(ret)],
    [ref.maxRssKB / 1024, ret.maxRssKB / 1024],
  ],
  labels: [[null, `${(ret.ms / ref.ms).toFixed(2)}x time`], [null, null]],
  note: `node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}; mapping ${m.length} lines`,
});
console.log(`chart: ${chart.slice(root.length + 1)}`);
rmSync(dir, { recursive: true, force: true });
