/**
 * What the block emitters write into: the lines of one method body, its
 * exception table (collected in the order structures close, so an inner try's
 * entries come before the enclosing one's, as JVMS 2.10 searches them), fresh
 * labels, and the method's slot layout.
 */
import type { Layout } from "./layout.js";

export class EmitContext {
  readonly out: string[] = [];
  readonly catches: string[] = [];
  private labels = 0;

  constructor(
    readonly className: string,
    readonly layout: Layout,
  ) {}

  emit(...instructions: string[]): void {
    for (const i of instructions) this.out.push(`    ${i}`);
  }

  label(): string {
    return `L${this.labels++}`;
  }

  place(label: string): void {
    this.out.push(`${label}:`);
  }

  /** `type` undefined: a catch-all (finally) entry. */
  handler(type: string | undefined, from: string, to: string, using: string): void {
    this.catches.push(`    .catch ${type ?? "all"} from ${from} to ${to} using ${using}`);
  }
}
