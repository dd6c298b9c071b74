import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/**
 * A draggable, keyboard-operable divider (WAI-ARIA window splitter): arrows move it by 24 px,
 * Home/End to the limits. `value` is the size of the panel it resizes.
 */
export function Splitter({ orientation, value, min, max, onChange, label, invert = false }: { orientation: 'horizontal' | 'vertical'; value: number; min: number; max: number; onChange(v: number): void; label: string; invert?: boolean }) {
  const start = useRef<{ pos: number; value: number } | null>(null);
  const clamp = (v: number) => Math.round(Math.min(max, Math.max(min, v)));
  const sign = invert ? -1 : 1;
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { pos: orientation === 'vertical' ? e.clientX : e.clientY, value };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (start.current === null) return;
    const pos = orientation === 'vertical' ? e.clientX : e.clientY;
    onChange(clamp(start.current.value + sign * (pos - start.current.pos)));
  };
  const onPointerUp = () => {
    start.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const back = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
    const forward = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
    if (e.key === back) onChange(clamp(value - 24 * sign));
    else if (e.key === forward) onChange(clamp(value + 24 * sign));
    else if (e.key === 'Home') onChange(min);
    else if (e.key === 'End') onChange(max);
    else return;
    e.preventDefault();
  };
  return (
    <div
      className={`splitter ${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
