#!/usr/bin/env node
/**
 * The megasplit side of the round-trip benchmark: read a jar, force every method of
 * every class through decode -> encode (nothing copied raw), write the classes and
 * re-zip. Uses the built library (dist/) as a user would: `mapClassEntries`
 * (bundle/parallel.ts) runs the `reencodeClassBytes` transform on a worker pool
 * sized to the machine (one core fewer than it has, so on 2 cores in this thread),
 * and `writeBundle` lays out the archive; the workers start while the jar is read.
 * With a second core, inflating (while the jar is read) and deflating changed
 * classes (when the transform runs in this thread) go to the zlib helper thread
 * (bundle/zlib-thread.ts). `--workers N` overrides the pool size (0 = in this
 * thread); the jar written is the same either way.
 *
 *   node bench/roundtrip/megasplit-roundtrip.mjs <in.jar> <out.jar> [--workers N]
 */
import { readBundle } from "../../dist/src/bundle/read.js";
import { writeBundle } from "../../dist/src/bundle/write.js";
import { mapClassEntries } from "../../dist/src/bundle/parallel.js";

const args = process.argv.slice(2);
const w = args.indexOf("--workers");
const workers = w >= 0 ? Number(args.splice(w, 2)[1]) : undefined;
const [input, output] = args;
if (!input || !output || (workers !== undefined && !(workers >= 0))) {
  console.error("usage: megasplit-roundtrip.mjs <in.jar> <out.jar> [--workers N]");
  process.exit(2);
}
const transform = { module: new URL("../../dist/src/bytecode/reencode-class.js", import.meta.url).href, export: "reencodeClassBytes" };
// The workers start (and load the transform) while the jar is read.
const bundle = readBundle(input).then((r) => r.bundle);
const result = await mapClassEntries(bundle, transform, workers !== undefined ? { workers } : {});
for (const d of result.diagnostics) console.error(`${d.severity} ${d.code}: ${d.message}`);
await writeBundle(result.bundle, output, { kind: "jar" });
console.log(`${result.changed} classes`);
