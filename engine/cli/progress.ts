/** A one-line progress bar on stderr, only for interactive terminals and long runs. */
export function progressBar(label: string, minimum = 20_000, unit = 'bars'): ((done: number, total: number) => void) | undefined {
  const stream = process.stderr;
  if (!stream.isTTY) return undefined;
  let lastPct = -1;
  return (done, total) => {
    if (total < minimum) return;
    const pct = Math.floor((done / total) * 100);
    if (pct === lastPct) return;
    lastPct = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(pct).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${unit}`);
    if (done >= total) stream.write('\n');
  };
}
