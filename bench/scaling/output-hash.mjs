#!/usr/bin/env node
/**
 * bench/scaling/output-hash.mjs GENERATOR BYTES [GENERATOR BYTES ...]: the
 * byte-identity check of bench/scaling changes. Builds each generator's class at
 * about BYTES bytes (samples/generators/), splits it with this tree's build
 * ("megasplit", dist/) and prints one line per cell: the sha256 over every class
 * written (by file name) and the mapping text, and the split's outcome. Run it
 * in two trees (a base revision built in a copy) and compare the lines.
 */
import { createHash } from "node:crypto";
import { splitClass } from "megasplit";

const args = process.argv.slice(2);
for (let i = 0; i + 1 < args.length; i += 2) {
  const [generator, bytes] = [args[i], Number(args[i + 1])];
  const gen = await import(`../../samples/generators/${generator}.mjs`);
  const { cf } = gen.buildFor(bytes);
  const r = await splitClass(cf);
  const hash = createHash("sha256");
  for (const c of [...r.classes].sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0))) {
    hash.update(c.fileName).update(c.bytes);
  }
  hash.update(r.mapping);
  const report = r.methods.find((m) => m.method.startsWith(`${gen.METHOD}(`));
  process.stdout.write(`${generator} ${bytes} ${report?.result.kind ?? "missing"} ${hash.digest("hex")}\n`);
}
