/** What scripts can rely on. */
export const exitCodes = {
  ok: 0,
  /** The server answered with an error (bad input, not found, failed job...). */
  failed: 1,
  /** The command line itself was wrong. */
  usage: 2,
  /** The server could not be reached. */
  unreachable: 3,
  /** Stopped with Ctrl-C. */
  interrupted: 130,
} as const;
