/**
 * Names and lines the splitter hands out within one class: fresh method names
 * (`<name>$split$k`, `$region$k`, `$dispatch$k`) that no member of the class uses,
 * and synthetic call-site lines above every real line (JVMS 4.7.12 line numbers are
 * u2, so they can run out; then call sites carry no line of their own).
 */

/** A fresh method name `<base>$<what>$<k>` not used in the class yet; reserves it. */
export function freshName(base: string, what: string, taken: Set<string>): string {
  for (let k = 1; ; k++) {
    const name = `${base}$${what}$${k}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/**
 * Fresh names `<base>$<what>$<k>` one after another, each reserved in `taken`:
 * what repeated `freshName` calls return (every name below the next k is taken,
 * and `taken` only grows), but k is scanned once for all of them, not from 1 for
 * each (12,325 pieces of one method made that quadratic).
 */
export function freshNamer(base: string, what: string, taken: Set<string>): () => string {
  let k = 1;
  return () => {
    for (; ; k++) {
      const name = `${base}$${what}$${k}`;
      if (!taken.has(name)) {
        taken.add(name);
        k++;
        return name;
      }
    }
  };
}

/** The highest line number a LineNumberTable can hold (u2, JVMS 4.7.12): the last synthetic call-site line. */
export const LAST_SYNTHETIC_LINE = 0xffff;

/** The next synthetic call-site line, or undefined once line numbers run out. */
export function nextSyntheticLine(lines: { next: number }): number | undefined {
  return lines.next <= LAST_SYNTHETIC_LINE ? lines.next++ : undefined;
}

/** The base of piece names: constructors and initialisers have no usable name of their own. */
export function pieceBaseName(name: string): string {
  return name === "<init>" ? "init" : name === "<clinit>" ? "clinit" : name;
}
