#!/usr/bin/env node
/**
 * The megasplit side of the round-trip benchmark: read a jar, force every method of
 * every class through decode -> encode (nothing copied raw), write the classes and
 * re-zip. Uses the built library (dist/), as a user would.
 *
 *   node bench/roundtrip/megasplit-roundtrip.mjs <in.jar> <out.jar>
 */
import { readBundle } from "../../dist/src/bundle/read.js";
import { writeBundle } from "../../dist/src/bundle/write.js";
import { isClassEntry, withData } from "../../dist/src/bundle/bundle.js";
import { readClass } from "../../dist/src/classfile/read.js";
import { writeClass } from "../../dist/src/classfile/write.js";
import { reencodeClass } from "../../dist/src/bytecode/reencode-class.js";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: megasplit-roundtrip.mjs <in.jar> <out.jar>");
  process.exit(2);
}
const { bundle } = await readBundle(input);
let classes = 0;
const entries = bundle.entries.map((e) => {
  if (!isClassEntry(e)) return e;
  classes++;
  return withData(e, writeClass(reencodeClass(readClass(e.data))));
});
await writeBundle({ ...bundle, entries }, output, { kind: "jar" });
console.log(`${classes} classes`);
