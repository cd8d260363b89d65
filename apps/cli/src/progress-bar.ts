/** A one-line progress bar on stderr when it is a terminal; plain percentages otherwise. */
export function renderProgress(label: string, progress: number): void {
  const percent = Math.round(progress * 100);
  if (!process.stderr.isTTY) {
    process.stderr.write(`${label} ${percent}%\n`);
    return;
  }
  const width = 30;
  const filled = Math.round(progress * width);
  process.stderr.write(
    `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}%`,
  );
  if (progress >= 1) process.stderr.write('\n');
}
