/**
 * A one-line progress display on stderr, redrawn in place (carriage return and
 * erase-line), only when stderr is a terminal and the user did not ask for
 * `--quiet` or `--json`; otherwise every call is a no-op, so logs and pipes get
 * nothing. Redraws are throttled to ten a second; `done()` erases the line so the
 * summary that follows starts clean. The splitter calls back synchronously between
 * classes, so the line is written synchronously too (a TTY write is synchronous in
 * Node).
 */
import { formatDuration, plural } from "./style.js";

export interface ProgressState {
  done: number;
  total: number;
  split: number;
}

export class Progress {
  private last = 0;
  private shown = false;
  private readonly started = Date.now();

  constructor(
    private readonly enabled: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  static forStderr(opts: { quiet?: boolean; json?: boolean }): Progress {
    return new Progress(process.stderr.isTTY === true && !opts.quiet && !opts.json);
  }

  update(s: ProgressState): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (this.shown && now - this.last < 100 && s.done < s.total) return;
    this.last = now;
    this.shown = true;
    const line = `${s.done}/${s.total} entries, ${plural(s.split, "method")} split, ${formatDuration(now - this.started)}`;
    this.stream.write(`\r\x1b[2K${line}`);
  }

  done(): void {
    if (this.shown) this.stream.write("\r\x1b[2K");
    this.shown = false;
  }
}
