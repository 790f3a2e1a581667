/**
 * The driver fill's search (src/split/driver-fill.ts), step by step on the
 * encoded lengths it is given: a spined loop's driver under 97% of the limit is
 * retried with a larger allowance (scaled by what is left, then bisected), at most
 * four times, the fullest fit kept; no retry without a spined loop, nor for a
 * split of more than MAX_FILLED_DRIVER_PIECES pieces (a 16 MB interpreter's 4,107
 * pieces: there each retry is a whole-method attempt of tens of seconds for a
 * driver that holds a fraction of a percent of the loop).
 */
import { describe, expect, it } from "vitest";
import { DriverFill, MAX_FILLED_DRIVER_PIECES } from "../src/split/driver-fill.js";
import type { BodySplit } from "../src/split/encode-split.js";

/** A split with this driver length and this many pieces besides the driver (the search reads nothing else). */
function split(driverLength: number, pieces: number): BodySplit {
  return { driver: { accessFlags: 0, nameIndex: 0, descriptorIndex: 0, attributes: [] }, driverLength, driverLines: [], pieces: [], crossEdges: 0, handover: ["heap frame"], blocksPerPiece: Array.from({ length: pieces + 1 }, () => 1), callSites: [] };
}

describe("the driver fill", () => {
  it("retries a spined loop's driver at 6,700 of 8,000 bytes with the allowance scaled to 98% of the limit, and keeps the fullest", () => {
    const fill = new DriverFill(8000);
    const first = split(6700, 1);
    const slack = fill.afterFit(first, true, 1);
    expect(slack).toBeCloseTo((8000 * 0.98) / 6700, 10);
    expect(fill.best()).toBe(first);
    const fuller = split(7900, 1);
    expect(fill.afterFit(fuller, true, slack!)).toBeUndefined(); // within 3% of the limit: final
    expect(fill.best()).toBe(fuller);
  });

  it("bisects after an overshoot and stops after four retries", () => {
    const fill = new DriverFill(8000);
    const s1 = fill.afterFit(split(6000, 2), true, 1)!;
    const s2 = fill.afterOvershoot(s1)!;
    expect(s2).toBeCloseTo((1 + s1) / 2, 10);
    const s3 = fill.afterFit(split(7000, 2), true, s2)!;
    expect(s3).toBeCloseTo((s2 + s1) / 2, 10);
    const s4 = fill.afterOvershoot(s3)!;
    expect(s4).toBeCloseTo((s2 + s3) / 2, 10);
    expect(fill.afterFit(split(7100, 2), true, s4)).toBeUndefined(); // the fourth retry was the last
    expect(fill.best()!.driverLength).toBe(7100);
  });

  it("does not retry without a spined loop", () => {
    const fill = new DriverFill(8000);
    expect(fill.afterFit(split(5000, 1), false, 1)).toBeUndefined();
    expect(fill.best()).toBeUndefined();
  });

  it(`retries with ${MAX_FILLED_DRIVER_PIECES} pieces besides the driver, not with one more`, () => {
    expect(new DriverFill(8000).afterFit(split(6700, MAX_FILLED_DRIVER_PIECES), true, 1)).toBeGreaterThan(1);
    const many = new DriverFill(8000);
    expect(many.afterFit(split(6700, MAX_FILLED_DRIVER_PIECES + 1), true, 1)).toBeUndefined();
    expect(many.best()).toBeUndefined();
  });
});
