/**
 * The differential check on random programs (test/support/random-program):
 * 2,000 generated classes, each split in-process at a random limit from 64
 * bytes up, in one link mode per program in turn (the registry's: 500 each of
 * auto, direct, switch and indy), must link under -Xverify:all and print byte for byte what
 * the unsplit class prints (the checksums of run(1), run(2), run(-5), or the
 * exception that escaped). Refusals are allowed with a W_REFUSED_ code, counted
 * by code and reason and printed; an exception out of the splitter, an error
 * diagnostic, a refusal without a code or one that hides a broken invariant
 * (W_REFUSED_FRAMES, W_REFUSED_BAD_CODE on code the JVM verified), or a split
 * that does not finish within five minutes fails. Cost: about 0.27 s of CPU a
 * program (measured over 100, internal checker between passes on), so about
 * 4.5 minutes on two idle cores.
 * Two child processes split while the batched JVMs run (50 programs a launch).
 * `npm run soak` runs the same check on more programs and minimises failures.
 *
 * Then 200 interpreter-shaped programs (run() a dispatch loop of 6 to 40 cases among
 * a few blocks, sometimes inside a try; generate.ts's `dispatch` shape), checked
 * the same way: the shape the loop-spine and region-piece rules are for. A driver
 * calls case pieces at its exits (counted from the split classes, split.ts
 * `caseCalls`) in about one variant in six of these, against one in a hundred of
 * the mixed programs (a soak of 21,150).
 *
 * Then 100 programs whose run() leaves values on the operand stack that nothing
 * takes again (generate.ts's `dead-stack` shape: 1 to 12 ints, longs, floats,
 * doubles and Strings pushed between its blocks, no exception handlers in it), the
 * shape of Clojure's namespace loaders: every run() goes through passes/dead-stack.ts.
 *
 * Regressions found by the generator, minimised, follow: each runs in all four
 * link modes at the limit it failed at.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateProgram } from "./support/random-program/generate.js";
import { blockCount, blocksOf, PARTS, type Program } from "./support/random-program/model.js";
import { buildProgram } from "./support/random-program/build.js";
import { withoutBlocks } from "./support/random-program/minimise.js";
import { runPool } from "./support/random-program/pool.js";
import { headline, summary } from "./support/random-program/report.js";
import { LINK_MODES, splitProgram } from "./support/random-program/split.js";
import { codeOf } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";

const PROGRAMS = 2000;
const DISPATCH_PROGRAMS = 200;
const DEAD_STACK_PROGRAMS = 100;

describe("random programs, split and run against the unsplit ones", () => {
  it(`${PROGRAMS} programs at random limits, every link mode in turn: identical output, every class verified`, async () => {
    const programs = Array.from({ length: PROGRAMS }, (_, i) => generateProgram(i + 1));
    const stats = await runPool(programs, { jobs: 2, batchSize: 50, hangMs: 300_000, modes: (p) => [LINK_MODES[p.seed % LINK_MODES.length]!] });
    console.log(summary(stats));
    expect(stats.programs).toBe(PROGRAMS);
    expect(stats.variants).toBe(PROGRAMS);
    expect(stats.failures).toEqual([]);
    expect(headline(stats)).toBe(`${PROGRAMS} programs, 0 mismatches`);
    // The limits really cut: most variants split a method (measured: 55-60%).
    expect(stats.variantsSplit).toBeGreaterThan(PROGRAMS * 0.4);
  }, 1_500_000);

  it(`${DISPATCH_PROGRAMS} dispatch-loop programs, every link mode in turn: identical output, some drivers calling case pieces at their exits`, async () => {
    const programs = Array.from({ length: DISPATCH_PROGRAMS }, (_, i) => generateProgram(i + 1, "dispatch"));
    const stats = await runPool(programs, { jobs: 2, batchSize: 50, hangMs: 300_000, modes: (p) => [LINK_MODES[p.seed % LINK_MODES.length]!] });
    console.log(summary(stats));
    expect(stats.failures).toEqual([]);
    expect(headline(stats)).toBe(`${DISPATCH_PROGRAMS} programs, 0 mismatches`);
    // The limits cut and the shape is reached (measured: 135 variants split a method,
    // 28 with a driver calling case pieces at its exits).
    expect(stats.variantsSplit).toBeGreaterThan(DISPATCH_PROGRAMS / 2);
    expect(stats.variantsCaseCalls).toBeGreaterThanOrEqual(18);
  }, 600_000);

  it(`${DEAD_STACK_PROGRAMS} programs leaving values on the stack, every link mode in turn: identical output, a method split in most`, async () => {
    const programs = Array.from({ length: DEAD_STACK_PROGRAMS }, (_, i) => generateProgram(i + 1, "dead-stack"));
    expect(programs.every((p) => (p.deadValues?.length ?? 0) > 0)).toBe(true);
    const stats = await runPool(programs, { jobs: 2, batchSize: 50, hangMs: 300_000, modes: (p) => [LINK_MODES[p.seed % LINK_MODES.length]!] });
    console.log(summary(stats));
    expect(stats.failures).toEqual([]);
    expect(headline(stats)).toBe(`${DEAD_STACK_PROGRAMS} programs, 0 mismatches`);
    // The limits cut (measured: 69 of the 100 variants split a method).
    expect(stats.variantsSplit).toBeGreaterThan(DEAD_STACK_PROGRAMS * 0.4);
  }, 600_000);

  it("the dead-stack programs' run() splits at a third of its length more often with its dead values popped", async () => {
    let split = 0;
    const programs = Array.from({ length: 20 }, (_, i) => generateProgram(i + 1, "dead-stack"));
    for (const p of programs) {
      const { classes } = await buildProgram(p);
      const cf = readClass([...classes.values()][0]!);
      const run = cf.methods.find((m) => cf.constantPool.utf8(m.nameIndex) === "run")!;
      const limit = Math.max(128, Math.floor(codeOf(run)!.code.length / 3));
      const outcome = await splitProgram(classes, limit, LINK_MODES[p.seed % LINK_MODES.length]!);
      expect(outcome.errors).toEqual([]);
      if (!outcome.refusals.some((r) => r.method.startsWith("run("))) split++;
    }
    // Every run() is over the limit, so each one not refused was split. Measured: 15 of
    // 20; with passes/dead-stack.ts disabled, 10.
    console.log(`dead-stack run() split: ${split} of 20`);
    expect(split).toBeGreaterThanOrEqual(13);
  }, 300_000);

  const block = (kind: "arith" | "throw", seed: number) => ({ kind, seed }) as const;
  const REGRESSIONS: { name: string; program: Program; refusals?: Record<string, number> }[] = [
    {
      // monitorDepth (src/split/cut-points.ts) never converged: the exception edge
      // from inside the monitor reached the retry handler one monitor deeper every
      // turn of the dataflow: 6 of the first 40 programs hung (generator of 29160d2). Minimised
      // by the soak's minimiser to if { retry { synchronized { } } } in run().
      name: "a retry loop whose handler head is reached from inside a synchronized block",
      program: {
        seed: 7,
        major: 52,
        minor: 0,
        frames: true,
        extendsList: false,
        wideInts: 0,
        wideLongs: 0,
        limit: 200,
        parts: {
          clinit: [],
          initBeforeSuper: [],
          initAfterSuper: [],
          syncMethod: [],
          run: [
            { kind: "retry", seed: 1, body: [{ kind: "sync", seed: 2, body: [block("arith", 3), block("throw", 4), block("arith", 5)] }] },
            block("arith", 6),
            block("arith", 8),
            block("arith", 9),
          ],
        },
      },
    },
      {
      // The outline pass wrote a caller whose region has no exit (every path of the
      // region throws) as a tableswitch over no targets with no default label:
      // E_INTERNAL "label is used but not placed" in every link mode from 64 bytes
      // up. Found by the soak (seed 146366, 55 blocks), minimised to 7 blocks; at
      // 300 bytes (as here) every mode splits sm, where each crashed before.
      name: "an outlined region that only throws (no exit back to its caller)",
      program: {"seed": 146366, "major": 52, "minor": 0, "frames": true, "extendsList": false, "wideInts": 4, "wideLongs": 0, "parts": {"clinit": [], "initBeforeSuper": [], "initAfterSuper": [], "syncMethod": [{"kind": "try", "seed": 1275611041, "body": [], "catches": [{"type": "java/lang/RuntimeException", "body": [], "rethrow": true}, {"type": "java/lang/RuntimeException", "body": [], "rethrow": true}], "finally": [{"kind": "try", "seed": 1242820670, "body": [], "catches": [{"type": "java/lang/Exception", "body": [{"kind": "sync", "seed": 640322993, "body": [{"kind": "retry", "seed": 927935437, "body": [{"kind": "sync", "seed": 461595214, "body": []}]}]}], "rethrow": true}, {"type": "java/lang/Throwable", "body": [{"kind": "try", "seed": 1970286809, "body": [], "catches": [{"type": "java/lang/Throwable", "body": [], "rethrow": false}, {"type": "java/lang/IllegalStateException", "body": [], "rethrow": true}, {"type": "java/lang/ArithmeticException", "body": [{"kind": "sync", "seed": 2143500140, "body": []}], "rethrow": false}]}], "rethrow": false}]}]}], "run": []}, "limit": 300} as Program,
    },
    {
      // A synchronized block inside a try inside a synchronized block: monitorDepth
      // counted the edge from the inner monitor's body into the try's handlers (which
      // never receive it: the inner catch-all comes first), so the enclosing
      // monitor's exits were taken for the inner one's, and the outlined region
      // released a monitor its caller held; HotSpot threw IllegalMonitorStateException
      // into javac's self-covering handler, which looped for ever (TIMEOUT in every
      // link mode at 1,477 bytes; found by the soak in --link direct, seed 161893).
      // The mechanism is tested on hand-written bytecode in test/monitors.test.ts.
      name: "an outlined synchronized block whose try's handlers follow the inner monitor's catch-all",
      program: { ...generateProgram(161893), limit: 1477 },
    },
    {
      // Sequential synchronized blocks in a `static synchronized` method: the region
      // search sized each block up to the last exit of any later block at its level, so
      // the first looked like a 1,068-byte region over half the limit; outlining it moved
      // only its own body, and the next search found the same over-sized "region" around
      // the call left behind, 28 bytes bigger each time, until the outline depth and then
      // the eight attempts were spent: W_REFUSED_NO_FIT in `direct` at 1,374 bytes (the
      // soak, seed 472285). Every mode now splits it.
      name: "sequential synchronized blocks are sized each to its own exits",
      program: { ...generateProgram(472285), limit: 1374 },
      refusals: {},
    },
    {
      // An interpreter whose 245 state values (187 ints, 58 longs) are all live and
      // whose dispatch loop of 40 cases does not fit one piece: the loop's spine (key,
      // switch, increment) was kept as one atom, and with an exit stub per case priced
      // at every live value the partition failed on "a loop", so the method was refused
      // at once (W_REFUSED_REGION in `direct`: the first soak of dispatch programs, seed
      // 1, 903 such refusals in 6,000 variants). A loop that does not fit is now retried
      // with the exits priced by what each piece touches, then cut finer, as a block
      // is. The program is that seed's, minimised with the fix turned off to the blocks
      // that still give the refusal at 9,994 bytes (a file: the generator has changed since).
      name: "a kept loop spine whose exits priced at every live value do not fit",
      program: JSON.parse(readFileSync(new URL("./random-program-regressions/loop-spine-exits.json", import.meta.url), "utf8")) as Program,
      refusals: {},
    },
    {
      // A synchronized body inside the dispatch loop's try, outlined: the outline gave
      // it exits to the try's handlers, which a catch-all before them shadows (JVMS
      // 2.10), so the caller branched to those handlers from code holding the monitor;
      // their monitor depth rose to one and the whole try became one uncuttable region
      // ("needs 17,052 bytes", W_REFUSED_REGION in every mode at 1,298 bytes). Dispatch
      // program of seed 79 (a file: the generator may change); every mode now splits.
      name: "an outlined synchronized body gets no exit to handlers a catch-all shadows",
      program: JSON.parse(readFileSync(new URL("./random-program-regressions/shadowed-handler-exits.json", import.meta.url), "utf8")) as Program,
      refusals: {},
    },
    {
      // 1,430 bytes of statements before super() in the constructor: pinned (local 0
      // holds uninitializedThis, which no transfer can carry), so refused in `direct` at
      // 1,052 bytes (W_REFUSED_PINNED "the 1430 bytes before super() must stay in the
      // original method"). Now outlined as a region from the first instruction to the
      // receiver's load; every mode splits with no refusal (the soak's mixed seed 87).
      name: "statements before super() are outlined",
      program: { ...generateProgram(87), limit: 1052 },
      refusals: {},
    },
    {
      // A loop kept whole (its blocks fit three quarters of a piece) whose exits do not
      // fit beside it even priced exactly and cut finest: refused in `indy` at 597 bytes
      // ("a loop needs 601 bytes"). The last refinement keeps no loop whole. Dispatch
      // program of seed 107 (a file); every mode splits with no refusal (its
      // constructor's statements before super() are outlined, the regression above).
      name: "a loop kept whole that does not fit with its exits is cut",
      program: JSON.parse(readFileSync(new URL("./random-program-regressions/loop-kept-whole-exits.json", import.meta.url), "utf8")) as Program,
      refusals: {},
    },
];

  for (const r of REGRESSIONS) {
    it(`regression: ${r.name}`, async () => {
      const stats = await runPool([r.program], { jobs: 1, batchSize: 1, hangMs: 120_000, modes: () => [...LINK_MODES] });
      console.log(summary(stats));
      expect(stats.failures).toEqual([]);
      expect(stats.variantsSplit).toBe(LINK_MODES.length);
      if (r.refusals) expect(stats.refusals).toEqual(r.refusals);
    });
  }
});

describe("the minimiser's moves", () => {
  it("removing any one block (with what it nests) leaves a program that still builds, one subtree smaller", async () => {
    for (const p of [generateProgram(3), generateProgram(21), generateProgram(5, "dispatch")]) {
      const total = blockCount(p);
      const sizes: number[] = [];
      for (const part of PARTS) for (const b of blocksOf(p.parts[part])) sizes.push([...blocksOf([b])].length);
      expect(sizes.length).toBe(total);
      for (let k = 0; k < total; k += 5) {
        const smaller = withoutBlocks(p, new Set([k]));
        expect(blockCount(smaller)).toBe(total - sizes[k]!);
        await expect(buildProgram(smaller)).resolves.toBeDefined();
      }
    }
  });
});
