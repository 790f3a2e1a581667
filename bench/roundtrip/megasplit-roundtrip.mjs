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
 * By default an entry whose bytes come back identical keeps its original
 * compressed bytes, as every megasplit output does. `--redeflate` drops them all
 * first, so that every entry is deflated afresh (zlib's default level), as ASM's
 * side does with java.util.zip: the strict comparison of the zip work.
 *
 *   node bench/roundtrip/megasplit-roundtrip.mjs <in.jar> <out.jar> [--workers N] [--redeflate]
 */
import { readBundle } from "../../dist/src/bundle/read.js";
import { writeBundle } from "../../dist/src/bundle/write.js";
import { mapClassEntries } from "../../dist/src/bundle/parallel.js";

const args = process.argv.slice(2);
const r = args.indexOf("--redeflate");
const redeflate = r >= 0 && args.splice(r, 1).length === 1;
const w = args.indexOf("--workers");
const workers = w >= 0 ? Number(args.splice(w, 2)[1]) : undefined;
const [input, output] = args;
if (!input || !output || (workers !== undefined && !(workers >= 0))) {
  console.error("usage: megasplit-roundtrip.mjs <in.jar> <out.jar> [--workers N] [--redeflate]");
  process.exit(2);
}
const transform = { module: new URL("../../dist/src/bytecode/reencode-class.js", import.meta.url).href, export: "reencodeClassBytes" };
// The workers start (and load the transform) while the jar is read.
const bundle = readBundle(input).then(({ bundle: b }) => (redeflate ? { ...b, entries: b.entries.map(({ compressed: _reused, ...e }) => e) } : b));
const result = await mapClassEntries(bundle, transform, workers !== undefined ? { workers } : {});
for (const d of result.diagnostics) console.error(`${d.severity} ${d.code}: ${d.message}`);
await writeBundle(result.bundle, output, { kind: "jar" });
console.log(`${result.changed} classes`);
