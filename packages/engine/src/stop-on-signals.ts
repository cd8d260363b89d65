/** The part of a logger the shutdown path writes to. */
interface ErrorLogger {
  error(fields: object, message: string): void;
}

/**
 * Shuts a process down once on SIGTERM or SIGINT (a second signal while closing is ignored), then
 * exits 0, or 1 when closing failed: the same contract for the server and the worker, which
 * orchestrators rely on.
 */
export function stopOnSignals(
  logger: ErrorLogger,
  close: (signal: NodeJS.Signals) => Promise<void>,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    close(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
