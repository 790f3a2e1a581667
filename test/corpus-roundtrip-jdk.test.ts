/**
 * Round trip of the JDK's java.base, java.desktop and jdk.compiler modules, read
 * from `$JAVA_HOME/lib/modules` through the JDK's own `jimage extract`: every class
 * byte-identical when unchanged, canonically equal after forced re-encoding.
 */
import { describe, expect, it } from "vitest";
import { extractModule, JDK_MODULES, moduleClassFiles } from "./support/corpus.js";
import { describeResult, fileClasses, roundTripClasses } from "./support/roundtrip.js";

describe("corpus round trip: JDK modules", () => {
  for (const module of JDK_MODULES) {
    it(`${module}: identical when unchanged, canonically equal when re-encoded`, () => {
      const classes = fileClasses(moduleClassFiles(module), extractModule(module));
      expect(classes.length).toBeGreaterThan(1000);
      const r = roundTripClasses(classes);
      console.log(describeResult(module, r));
      expect(r.mismatches).toEqual([]);
      expect(r.identical).toBe(r.classes);
      expect(r.canonicalEqual).toBe(r.classes);
    });
  }
});
