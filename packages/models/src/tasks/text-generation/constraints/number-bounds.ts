/** A JSON Schema number's range: minimum/maximum, each inclusive or exclusive. */
export interface NumberBounds {
  low?: { value: number; exclusive: boolean } | undefined;
  high?: { value: number; exclusive: boolean } | undefined;
}

/** Whether a finished number lies within the bounds. */
export function withinBounds(value: number, bounds: NumberBounds): boolean {
  const { low, high } = bounds;
  if (low && (low.exclusive ? value <= low.value : value < low.value)) return false;
  if (high && (high.exclusive ? value >= high.value : value > high.value)) return false;
  return true;
}

/**
 * Whether some value between `lower` and `upper` (each end included when closed) lies within
 * the bounds: the values a number that starts with some text can still become are such ranges.
 */
function overlaps(
  lower: number,
  lowerClosed: boolean,
  upper: number,
  upperClosed: boolean,
  bounds: NumberBounds,
): boolean {
  const { low, high } = bounds;
  if (high && !(lowerClosed && !high.exclusive ? lower <= high.value : lower < high.value)) {
    return false;
  }
  if (low && !(upperClosed && !low.exclusive ? upper >= low.value : upper > low.value)) {
    return false;
  }
  return true;
}

/**
 * Whether a number that starts with `text` (no exponent: bounded numbers are written without
 * one) can still end within the bounds, given at most `maxDigits` digits per part.
 */
export function boundsReachable(
  text: string,
  integer: boolean,
  bounds: NumberBounds,
  maxDigits: number,
): boolean {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '', fraction] = body.split('.');
  // The magnitudes the text can still reach, as ranges [from, to) (closed for integers).
  const ranges: Array<[number, number, boolean]> = [];
  if (whole === '') ranges.push([0, Number.POSITIVE_INFINITY, false]);
  else if (fraction !== undefined) {
    const start = Number(`${whole}.${fraction || '0'}`);
    ranges.push([start, start + 10 ** -fraction.length, false]);
  } else if (whole === '0') ranges.push(integer ? [0, 0, true] : [0, 1, false]);
  else {
    const prefix = Number(whole);
    for (let more = 0; more <= maxDigits - whole.length; more += 1) {
      const scale = 10 ** more;
      ranges.push(
        integer
          ? [prefix * scale, (prefix + 1) * scale - 1, true]
          : [prefix * scale, (prefix + 1) * scale, false],
      );
    }
  }
  // A magnitude range [from, to) is the value range (-to, -from] for a negative number.
  return ranges.some(([from, to, closed]) =>
    negative
      ? overlaps(-to, closed, -from, true, bounds)
      : overlaps(from, true, to, closed, bounds),
  );
}

/**
 * A short continuation of `text` that makes a number within the bounds: at each place the
 * first character that finishes it, else the first that keeps it reachable.
 */
export function boundedEnding(
  text: string,
  integer: boolean,
  bounds: NumberBounds,
  maxDigits: number,
): string {
  const characters = [...'0123456789', ...(integer ? [] : ['.']), '-'];
  const complete = (candidate: string) =>
    /^-?(0|[1-9]\d*)(\.\d+)?$/.test(candidate) && withinBounds(Number(candidate), bounds);
  let current = text;
  for (let guard = 0; guard < 2 * maxDigits + 3 && !complete(current); guard += 1) {
    const allowed = characters.filter((char) => {
      const candidate = current + char;
      return (
        /^-?(0|[1-9]\d*)?(\.\d*)?$/.test(candidate) &&
        boundsReachable(candidate, integer, bounds, maxDigits)
      );
    });
    const next = allowed.find((char) => complete(current + char)) ?? allowed[0];
    if (next === undefined) break;
    current += next;
  }
  return current.slice(text.length);
}
