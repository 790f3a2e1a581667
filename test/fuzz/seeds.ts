/**
 * Seed inputs for the fuzzers, from real material: classes sampled from the
 * Debian corpus jars (every k-th class by name, so the sample is the same on every
 * machine with the same jars; class versions 45 to 52, with and without stack
 * maps, switches, handlers, subroutine-free and big methods alike), the tiny
 * model-built class, and the Jasmin texts of the filetests. Reading them costs
 * about a second, once per fuzz file.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isClassEntry } from "../../src/bundle/bundle.js";
import { codeOf } from "../../src/classfile/model.js";
import { readClass } from "../../src/classfile/read.js";
import { readJar } from "../../src/bundle/jar.js";
import { corpusJar, type CorpusName } from "../support/corpus.js";
import { tinyClassBytes } from "../support/tiny-class.js";
import { lengthFields, type LengthField } from "./class-fields.js";

export interface ClassSeeds {
  names: string[];
  bytes: Uint8Array[];
  fields: LengthField[][];
}

/**
 * About `perJar` classes of at most `maxBytes` from each corpus jar named (only
 * those with a method of at least `minMethod` bytes of code, if given), plus the
 * tiny class.
 */
export async function classSeeds(jars: readonly CorpusName[], perJar: number, maxBytes: number, minMethod = 0): Promise<ClassSeeds> {
  const seeds: ClassSeeds = { names: ["Tiny.class"], bytes: [tinyClassBytes()], fields: [] };
  for (const jar of jars) {
    const { bundle } = await readJar(new Uint8Array(readFileSync(corpusJar(jar))), jar);
    const classes = bundle.entries
      .filter((e) => isClassEntry(e) && e.data.length <= maxBytes && (minMethod === 0 || largestMethod(e.data) >= minMethod))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const stride = Math.max(1, Math.floor(classes.length / perJar));
    for (let i = 0; i < classes.length && seeds.names.length < 1 + perJar * (jars.indexOf(jar) + 1); i += stride) {
      seeds.names.push(`${jar}:${classes[i]!.name}`);
      seeds.bytes.push(classes[i]!.data);
    }
  }
  seeds.fields = seeds.bytes.map(lengthFields);
  return seeds;
}

function largestMethod(bytes: Uint8Array): number {
  const cf = readClass(bytes);
  return Math.max(0, ...cf.methods.map((m) => codeOf(m)?.code.length ?? 0));
}

/** Every `.j` file under test/filetests, as text. */
export function jasminSeeds(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith(".j")) out.push({ name: p, text: readFileSync(p, "utf8") });
    }
  };
  walk(join(import.meta.dirname, "..", "filetests"));
  return out;
}
