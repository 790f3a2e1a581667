/**
 * The constant pools of split attempts (docs/design/splitter.md, "The attempt
 * loop"). An attempt adds constants for its pieces, stubs and frames (JVMS 4.4)
 * and, in `indy` linking, BootstrapMethods rows (JVMS 4.7.23); most attempts are
 * not kept (a smaller budget, a fuller driver or fewer pieces is tried next), and
 * a pool only grows. So every attempt writes into a clone of the method's pool,
 * with the call-site registry reset to the method's state, and the pool of the
 * attempt kept is adopted: the class carries the constants of that attempt only.
 * Cost: a copy of the pool's entry list per attempt.
 */
import type { ConstantPool } from "../classfile/constant-pool.js";
import type { IndyCallSites, IndyState } from "../../passes/link/indy.js";
import { assert } from "../diagnostics.js";

export class AttemptPools<R extends object> {
  private readonly before: IndyState | undefined;
  private readonly made = new Map<R, { pool: ConstantPool; indy: IndyState | undefined }>();

  constructor(
    private readonly pool: ConstantPool,
    private readonly indy: IndyCallSites | undefined,
  ) {
    this.before = indy?.save();
  }

  /** A pool for the next attempt: the method's, cloned; call sites as before the method. */
  next(): ConstantPool {
    const p = this.pool.clone();
    if (this.indy) this.indy.restore(this.before!, p);
    return p;
  }

  /** Records that the attempt with pool `pool` produced `result`. */
  produced(result: R, pool: ConstantPool): void {
    this.made.set(result, { pool, indy: this.indy?.save() });
  }

  /** Keeps `result`: the method's pool and call sites become those of its attempt. */
  keep(result: R): void {
    const m = this.made.get(result);
    assert(m, "a split kept that no attempt produced");
    this.pool.adopt(m.pool);
    if (this.indy) this.indy.restore(m.indy!, this.pool);
  }

  /** No attempt is kept: call sites as before the method (its pool never changed). */
  drop(): void {
    if (this.indy) this.indy.restore(this.before!);
  }
}
