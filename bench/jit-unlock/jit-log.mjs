/**
 * bench/jit-unlock/jit-log.mjs: what HotSpot's JIT did with a workload's big
 * method, read from its own logs. `compilationSummary` reduces
 * `-XX:+PrintCompilation` output to one line per method of the workload's class
 * (the original method and its `$split$` pieces): the highest tier reached by a
 * normal and by an on-stack-replacement compile, how often code was made not
 * entrant, and any "COMPILE SKIPPED" reasons. `inliningExcerpt` keeps the
 * `-XX:+PrintInlining` decisions that mention those methods, de-duplicated, so a
 * miss can be explained with the JIT's own words. Plain text parsing of the JDK 17
 * formats; lines it does not recognise are ignored.
 */

/** `Class::name` prefix of the methods of interest: the method and its pieces. */
const ofInterest = (method) => {
  const [cls, name] = method.split("::");
  return (line) => line.includes(`${cls}::${name}`);
};

export function compilationSummary(log, method) {
  const wanted = ofInterest(method);
  const by = new Map();
  for (const line of log.split("\n")) {
    if (!wanted(line)) continue;
    // "   1234  567 %  b  4       Interp::run @ 23 (8721 bytes)   COMPILE SKIPPED: ..."
    const m = /^\s*\d+\s+\d+\s+([%sbn! ]*?)\s*(\d)\s+(\S+::\S+)(.*)$/.exec(line);
    if (!m) continue;
    const [, flags, tierText, name, rest] = m;
    const s = by.get(name) ?? { tier: 0, osr: 0, notEntrant: 0, skipped: new Set(), size: "" };
    const tier = Number(tierText);
    const size = /\((\d+) bytes\)/.exec(rest);
    if (size) s.size = size[1];
    if (rest.includes("made not entrant")) s.notEntrant++;
    const skip = /COMPILE SKIPPED: (.*)$/.exec(rest);
    if (skip) s.skipped.add(`tier ${tier}: ${skip[1].trim()}`);
    else if (!rest.includes("made not entrant") && !rest.includes("made zombie")) {
      if (flags.includes("%")) s.osr = Math.max(s.osr, tier);
      else s.tier = Math.max(s.tier, tier);
    }
    by.set(name, s);
  }
  if (by.size === 0) return [`${method}: never compiled`];
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) => {
    const parts = [`${name} (${s.size} B)`, s.tier ? `tier ${s.tier}` : "no normal compile"];
    if (s.osr) parts.push(`OSR tier ${s.osr}`);
    if (s.notEntrant) parts.push(`${s.notEntrant}x made not entrant`);
    for (const k of s.skipped) parts.push(`SKIPPED ${k}`);
    return parts.join(", ");
  });
}

export function inliningExcerpt(log, method, max = 40) {
  const wanted = ofInterest(method);
  const seen = new Set();
  const out = [];
  for (const line of log.split("\n")) {
    if (!wanted(line) || !line.includes("@")) continue;
    const text = line.trim().replace(/\s+/g, " ");
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(text);
    if (out.length >= max) break;
  }
  return out;
}
