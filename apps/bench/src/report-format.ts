/** A figure as BENCHMARKS.md prints it: grouped thousands, `digits` decimals. */
export const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** The raw runs behind a median, in brackets. */
export const runsOf = (values: number[]) => `[${values.map((value) => number(value)).join(', ')}]`;
/** A target's verdict, bold so a reader finds the misses. */
export const verdict = (met: boolean) => (met ? '**met**' : '**not met**');
