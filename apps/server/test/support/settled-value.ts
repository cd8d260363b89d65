/**
 * Reads a counter until it has not changed for `quietMs`, and returns it; fails if it keeps
 * changing past `timeoutMs`. After a cancel, the step already running may still finish (a token
 * on a busy machine can take a while): this waits for that instead of guessing a delay.
 */
export async function settledValue(
  read: () => Promise<number>,
  { quietMs = 500, timeoutMs = 5_000 } = {},
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline)
      throw new Error(`still changing after ${timeoutMs} ms (now ${value})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = await read();
    if (next !== value) {
      value = next;
      since = Date.now();
    }
  }
  return value;
}
