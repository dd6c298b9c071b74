import { useMemo, useRef, useState, type JSX, type MouseEvent } from 'react';
import type { SweepParamInfo, SweepRow } from '../../../engine/server/protocol/rest.ts';
import { buildHeatmap, colourScale, legendStops, textOn, type HeatCell } from './heatmap.ts';
import { formatMetric, METRICS, metricValue, type MetricKey } from './results.ts';

export interface SweepHeatmapProps {
  params: readonly SweepParamInfo[];
  rows: readonly SweepRow[];
  objective: string;
  selectedRank: number | null;
  onSelect(rank: number): void;
}

const MARGIN = { left: 74, top: 8, right: 8, bottom: 46 };

/**
 * Two swept params against each other: each cell is the chosen metric's best value (max over the
 * other swept params), coloured on a scale shown in the legend; hovering a cell shows its values,
 * clicking it selects the row that reached it.
 */
export function SweepHeatmap(props: SweepHeatmapProps): JSX.Element {
  const { params, rows, objective, selectedRank, onSelect } = props;
  const [x, setX] = useState(0);
  const [y, setY] = useState<number | null>(params.length > 1 ? 1 : null);
  const [metric, setMetric] = useState<MetricKey>('objective');
  const [hover, setHover] = useState<{ cell: HeatCell; left: number; top: number } | null>(null);
  const box = useRef<HTMLDivElement | null>(null);

  const xi = Math.min(x, params.length - 1);
  const yi = y === null || y >= params.length || y === xi ? null : y;
  const xParam = params[xi]!;
  const yParam = yi === null ? null : params[yi]!;
  const def = METRICS.find((m) => m.key === metric)!;
  const map = useMemo(() => buildHeatmap(rows.map((r) => ({ rank: r.rank, point: r.point, value: metricValue(r, metric) })), xi, yi, xParam.values.length, yParam?.values.length ?? 1), [rows, metric, xi, yi, xParam, yParam]);
  const scale = useMemo(() => colourScale(map.min, map.max), [map]);
  const stops = legendStops(scale, 5);
  const others = params.filter((_, i) => i !== xi && i !== yi).map((p) => p.name);
  const selected = rows.find((r) => r.rank === selectedRank) ?? null;

  const largest = Math.max(map.width, map.height);
  const cell = Math.max(10, Math.min(44, Math.floor(420 / Math.max(1, largest))));
  const plotW = cell * map.width;
  const plotH = cell * map.height;
  const labelEvery = (n: number) => Math.max(1, Math.ceil(n / Math.max(1, Math.floor((n * cell) / 34))));
  const xEvery = labelEvery(map.width);
  const yEvery = Math.max(1, Math.ceil(14 / cell));
  const showText = cell >= 34;

  const move = (c: HeatCell, event: MouseEvent) => {
    const r = box.current?.getBoundingClientRect();
    if (r === undefined) return;
    setHover({ cell: c, left: event.clientX - r.left + 12, top: event.clientY - r.top + 12 });
  };
  const rowOf = (rank: number) => rows.find((r) => r.rank === rank);
  const hoverRow = hover === null ? undefined : rowOf(hover.cell.rank);

  return (
    <div className="swp-heatmap" data-testid="sweep-heatmap" ref={box}>
      <div className="swp-heat-controls">
        <label className="swp-field">
          <span>x</span>
          <select data-testid="sweep-heatmap-x" value={xi} onChange={(e) => setX(Number(e.target.value))}>
            {params.map((p, i) => (
              <option key={p.name} value={i}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="swp-field">
          <span>y</span>
          <select data-testid="sweep-heatmap-y" value={yi === null ? '' : String(yi)} onChange={(e) => setY(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">— (one row)</option>
            {params.map((p, i) => (
              <option key={p.name} value={i} disabled={i === xi}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="swp-field">
          <span>colour</span>
          <select data-testid="sweep-heatmap-metric" value={metric} onChange={(e) => setMetric(e.target.value as MetricKey)}>
            {METRICS.map((m) => (
              <option key={m.key} value={m.key}>
                {m.key === 'objective' ? `objective (${objective})` : m.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="swp-heat-scroll">
        <svg width={MARGIN.left + plotW + MARGIN.right} height={MARGIN.top + plotH + MARGIN.bottom} role="img" aria-label={`${def.label} by ${xParam.name}${yParam === null ? '' : ` and ${yParam.name}`}`} onMouseLeave={() => setHover(null)}>
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            {map.cells.map((line, j) =>
              line.map((c, i) => {
                const top = (map.height - 1 - j) * cell; // y ascends upwards
                if (c === null) return <rect key={`${i}-${j}`} x={i * cell} y={top} width={cell - 1} height={cell - 1} className="swp-cell-empty" />;
                const fill = scale.colour(c.value);
                const isSelected = selected !== null && selected.point[xi] === i && (yi === null || selected.point[yi] === j);
                return (
                  <g key={`${i}-${j}`}>
                    <rect
                      data-testid={`sweep-heatmap-cell-${i}-${j}`}
                      x={i * cell}
                      y={top}
                      width={cell - 1}
                      height={cell - 1}
                      fill={fill}
                      className={`swp-cell${isSelected ? ' selected' : ''}${Number.isFinite(c.value) ? '' : ' infinite'}`}
                      onMouseMove={(e) => move(c, e)}
                      onClick={() => onSelect(c.rank)}
                    />
                    {showText ? (
                      <text x={i * cell + (cell - 1) / 2} y={top + (cell - 1) / 2} className="swp-cell-text" fill={textOn(fill)} pointerEvents="none">
                        {shortNumber(c.value)}
                      </text>
                    ) : null}
                  </g>
                );
              }),
            )}
            {xParam.values.map((v, i) =>
              i % xEvery === 0 ? (
                <text key={`x${i}`} x={i * cell + (cell - 1) / 2} y={plotH + 12} className="swp-axis-tick" textAnchor="middle">
                  {v}
                </text>
              ) : null,
            )}
            <text x={plotW / 2} y={plotH + 32} className="swp-axis-title" textAnchor="middle">
              {xParam.name}
            </text>
            {yParam === null
              ? null
              : yParam.values.map((v, j) =>
                  j % yEvery === 0 ? (
                    <text key={`y${j}`} x={-6} y={(map.height - 1 - j) * cell + (cell - 1) / 2} className="swp-axis-tick" textAnchor="end" dominantBaseline="middle">
                      {v}
                    </text>
                  ) : null,
                )}
            {yParam === null ? null : (
              <text transform={`translate(${-MARGIN.left + 12},${plotH / 2}) rotate(-90)`} className="swp-axis-title" textAnchor="middle">
                {yParam.name}
              </text>
            )}
          </g>
        </svg>
      </div>
      <div className="swp-legend" data-testid="sweep-heatmap-legend">
        <svg width={220} height={30} aria-hidden="true">
          <defs>
            <linearGradient id="swp-legend-gradient" x1="0" x2="1" y1="0" y2="0">
              {stops.map((s) => (
                <stop key={s.offset} offset={s.offset} stopColor={s.colour} />
              ))}
            </linearGradient>
          </defs>
          <rect x={4} y={2} width={212} height={10} rx={2} fill="url(#swp-legend-gradient)" />
          {[stops[0]!, stops[2]!, stops[4]!].map((s, k) => (
            <text key={k} x={4 + s.offset * 212} y={26} className="swp-axis-tick" textAnchor={k === 0 ? 'start' : k === 2 ? 'end' : 'middle'}>
              {map.min === null ? '—' : formatMetric(s.value, def.digits)}
            </text>
          ))}
        </svg>
        <span className="swp-muted">
          {def.key === 'objective' ? `objective (${objective})` : def.label}
          {others.length > 0 ? `, max over ${others.join(', ')}` : ''}
          {scale.kind === 'diverging' ? ' · red below 0, green above' : ''} · <span className="swp-swatch empty" /> no set
        </span>
      </div>
      {hover !== null && hoverRow !== undefined ? (
        <div className="swp-tooltip" style={{ left: hover.left, top: hover.top }} data-testid="sweep-heatmap-tooltip">
          <div>
            <b>{xParam.name}</b> = {xParam.values[hover.cell.x]}
          </div>
          {yParam === null ? null : (
            <div>
              <b>{yParam.name}</b> = {yParam.values[hover.cell.y]}
            </div>
          )}
          <div>
            {def.label}: <b>{formatMetric(hover.cell.value, def.digits)}</b>
          </div>
          <div className="swp-muted">
            best of {hover.cell.rows} set{hover.cell.rows === 1 ? '' : 's'}: rank {hover.cell.rank}
            {others.length > 0 ? ` (${others.map((n) => `${n}=${hoverRow.values[params.findIndex((p) => p.name === n)]}`).join(', ')})` : ''}
          </div>
          <div className="swp-muted">click: select this row</div>
        </div>
      ) : null}
    </div>
  );
}

function shortNumber(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+∞' : '−∞';
  const a = Math.abs(v);
  const text = a >= 1000 ? `${(v / 1000).toFixed(1)}k` : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  return text.replace(/^-/, '−');
}
