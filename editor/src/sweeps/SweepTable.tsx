import { useMemo, useState, type JSX } from 'react';
import type { SweepParamInfo, SweepRow } from '../../../engine/server/protocol/rest.ts';
import { defaultDescending, formatMetric, METRICS, metricValue, sortRows, type SortKey } from './results.ts';

export interface SweepTableProps {
  params: readonly SweepParamInfo[];
  rows: readonly SweepRow[];
  objective: string;
  selectedRank: number | null;
  onSelect(rank: number): void;
}

const PAGE = 200;

function sameKey(a: SortKey, b: SortKey): boolean {
  return a.kind === b.kind && (a.kind !== 'metric' || (b.kind === 'metric' && a.key === b.key)) && (a.kind !== 'param' || (b.kind === 'param' && a.index === b.index));
}

/** The ranked rows (best first), sortable by rank, any swept param or any metric; a click selects a row. */
export function SweepTable(props: SweepTableProps): JSX.Element {
  const { params, rows, objective, selectedRank, onSelect } = props;
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: { kind: 'rank' }, desc: false });
  const [shown, setShown] = useState(PAGE);
  const sorted = useMemo(() => sortRows(rows, sort.key, sort.desc), [rows, sort]);
  const visible = sorted.slice(0, shown);

  const header = (key: SortKey, label: string, title: string, numeric: boolean, testId: string) => {
    const active = sameKey(sort.key, key);
    return (
      <th key={testId} className={numeric ? 'num' : undefined} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'} title={title}>
        <button type="button" className="swp-sort" data-testid={testId} onClick={() => setSort(active ? { key, desc: !sort.desc } : { key, desc: defaultDescending(key) })}>
          {label}
          <span className="swp-sort-mark">{active ? (sort.desc ? '▾' : '▴') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <div className="swp-table-wrap">
      <table className="swp-table" data-testid="sweep-results">
        <thead>
          <tr>
            {header({ kind: 'rank' }, '#', 'rank by the objective (ties: net PnL, then the grid order)', true, 'sweep-sort-rank')}
            {params.map((p, i) => header({ kind: 'param', index: i }, p.name, `the swept values of ${p.name}`, false, `sweep-sort-param-${i}`))}
            {METRICS.map((m) => header({ kind: 'metric', key: m.key }, m.key === 'objective' ? objective : m.label, m.title, true, `sweep-sort-${m.key}`))}
          </tr>
        </thead>
        <tbody>
          {visible.map((r) => (
            <tr
              key={r.rank}
              data-testid={`sweep-row-${r.rank}`}
              className={r.rank === selectedRank ? 'selected' : undefined}
              onClick={() => onSelect(r.rank)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(r.rank);
                }
              }}
              tabIndex={0}
              aria-selected={r.rank === selectedRank}
            >
              <td className="num">{r.rank}</td>
              {r.values.map((v, i) => (
                <td key={i} className="mono">
                  {v}
                </td>
              ))}
              {METRICS.map((m) => {
                const v = metricValue(r, m.key);
                const signed = m.key === 'netPnl' || m.key === 'returnPct' || m.key === 'objective';
                return (
                  <td key={m.key} className={`num${signed && v !== null && v !== 0 ? (v > 0 ? ' pos' : ' neg') : ''}`}>
                    {formatMetric(v, m.digits)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > shown ? (
        <button type="button" className="link swp-more" onClick={() => setShown((n) => n + PAGE)}>
          show {Math.min(PAGE, sorted.length - shown)} more of {sorted.length - shown} rows
        </button>
      ) : null}
    </div>
  );
}
