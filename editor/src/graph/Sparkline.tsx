import { memo } from 'react';
import { useLiveRecent } from '../app/live.ts';

/** The last values of one series output as a line, min and max scaled to the box. */
export const Sparkline = memo(function Sparkline({ seriesKey, width, height, color, active = true }: { seriesKey: string; width: number; height: number; color: string; active?: boolean }) {
  const values = useLiveRecent(seriesKey, active);
  if (values === undefined || values.length < 2) return <svg className="sparkline empty" width={width} height={height} aria-hidden="true" />;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min || 1;
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={width} height={height} aria-hidden="true">
      <polyline points={points} fill="none" stroke={color} strokeWidth={1.25} strokeLinejoin="round" />
    </svg>
  );
});
