/** The element a selector names, failing loudly when the page and the script disagree. */
export function required<T extends Element>(
  root: ParentNode,
  selector: string,
  type: abstract new () => T,
): T {
  const found = root.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`the page has no ${selector}`);
  return found;
}

/** A new element with a class and text, the one way panels build rows. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text = '',
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  if (text) created.textContent = text;
  return created;
}

/** Reads a number input within its own min/max, falling back when it is empty or invalid. */
export function numberFrom(input: HTMLInputElement, fallback: number): number {
  const value = input.valueAsNumber;
  if (!Number.isFinite(value)) return fallback;
  const min = input.min === '' ? -Infinity : Number(input.min);
  const max = input.max === '' ? Infinity : Number(input.max);
  return Math.min(max, Math.max(min, value));
}

/** The lines a user typed, trimmed, blank ones dropped: one text per line in every text box. */
export function nonBlankLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
