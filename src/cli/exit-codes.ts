/**
 * The exit statuses of `megasplit`, one meaning each, documented in the README and
 * docs/errors.md. A script can tell bad input from a bad command line from a bug.
 * When several apply, the most serious wins: internal > usage > input > refused.
 */
export const ExitCode = {
  /** Everything read was usable and every class written is legal. */
  OK: 0,
  /** Some input could not be read, or could not be written (an error diagnostic was reported). */
  INPUT: 1,
  /** The command line was wrong (E_USAGE): nothing was read or written. */
  USAGE: 2,
  /** A bug inside megasplit (E_INTERNAL): an invariant failed. */
  INTERNAL: 3,
  /** With `--strict`: some method over the limit was refused and left unchanged. */
  REFUSED: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
