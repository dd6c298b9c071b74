import { useMemo, useState } from 'react';
import type { History } from '../api/client.ts';
import type { GraphNode } from '../../../engine/server/protocol/rest.ts';
import { formatFull, formatTime, formatValue } from '../app/format.ts';
import { selectBar, useAppStore } from '../app/store.ts';
import { HistoryChart, seriesColor, type ChartPort } from './HistoryChart.tsx';
import { RECENT_BARS, useHistory, type HistoryRange } from './useHistory.ts';

const PAGE = 50;

function sameRow(h: History, keys: string[], a: number, b: number): boolean {
  for (const key of keys) {
    const col = h.values[key]!;
    const x = col[a];
    const y = col[b];
    if (x === y) continue;
    if (typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y)) continue;
    return false;
  }
  return true;
}

function HistoryTable({ node, history }: { node: GraphNode; history: History }) {
  const [page, setPage] = useState(0);
  const [changesOnly, setChangesOnly] = useState(true);
  const selectedIndex = useAppStore((s) => s.bar?.index ?? null);
  const keys = node.outputs.map((o) => `${node.id}.${o.port}`);
  const rows = useMemo(() => {
    const out: number[] = [];
    for (let k = history.index.length - 1; k >= 0; k--) {
      if (changesOnly && k > 0 && sameRow(history, keys, k, k - 1)) continue;
      out.push(k);
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [history, changesOnly, node.id]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const current = Math.min(page, pages - 1);
  const shown = rows.slice(current * PAGE, current * PAGE + PAGE);
  return (
    <div className="history-table" data-testid="history-table">
      <div className="table-toolbar">
        <label>
          <input type="checkbox" checked={changesOnly} onChange={(e) => setChangesOnly(e.target.checked)} /> changed rows only
        </label>
        <span className="muted">{rows.length} rows</span>
        <span className="pager">
          <button type="button" onClick={() => setPage(0)} disabled={current === 0} aria-label="Newest page">
            «
          </button>
          <button type="button" onClick={() => setPage(current - 1)} disabled={current === 0} aria-label="Newer">
            ‹
          </button>
          <span>
            {current + 1} / {pages}
          </span>
          <button type="button" onClick={() => setPage(current + 1)} disabled={current >= pages - 1} aria-label="Older">
            ›
          </button>
          <button type="button" onClick={() => setPage(pages - 1)} disabled={current >= pages - 1} aria-label="Oldest page">
            »
          </button>
        </span>
      </div>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th className="num">bar</th>
              <th>time (UTC)</th>
              {node.outputs.map((o) => (
                <th key={o.port} className={o.type === 'series' ? 'num' : ''}>
                  {o.port}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((k) => {
              const index = history.index[k]!;
              const time = history.time[k]!;
              return (
                <tr key={index} className={index === selectedIndex ? 'selected' : ''}>
                  <td className="num">
                    <button type="button" className="link" onClick={() => void selectBar(index, time)} title="Inspect every node at this bar">
                      {index}
                    </button>
                  </td>
                  <td className="nowrap">{formatTime(time)}</td>
                  {node.outputs.map((o) => {
                    const v = history.values[`${node.id}.${o.port}`]?.[k];
                    return (
                      <td key={o.port} className={o.type === 'series' ? 'num' : ''} title={formatFull(v, o.port)}>
                        {formatValue(v, o.port, 36)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** A node's values over the run: a chart of its numeric outputs and a paginated table. */
export function HistoryPanel({ node, runId }: { node: GraphNode; runId: string | null }) {
  const [range, setRange] = useState<HistoryRange>('recent');
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const { data, loading, error } = useHistory(runId, node.id, range, true);
  const ports: ChartPort[] = useMemo(() => {
    const numeric = node.outputs.filter((o) => o.type === 'series' && o.port !== 'time');
    const list = numeric.length > 0 ? numeric : node.outputs.filter((o) => o.type === 'bool');
    return list.map((o) => ({ port: o.port, key: `${node.id}.${o.port}`, kind: o.type === 'bool' ? ('bool' as const) : ('series' as const) }));
  }, [node]);
  if (runId === null) return <p className="muted">No run yet: start a backtest or a replay (Run panel below) to see this node's values over time.</p>;
  return (
    <div className="history-panel" data-testid="history-panel">
      <div className="table-toolbar">
        <label>
          Range{' '}
          <select value={range} onChange={(e) => setRange(e.target.value as HistoryRange)}>
            <option value="recent">last {RECENT_BARS.toLocaleString('en-US')} bars</option>
            <option value="all">whole run (thinned)</option>
          </select>
        </label>
        {loading ? <span className="muted">loading…</span> : null}
        {error !== null ? <span className="error-text">{error}</span> : null}
      </div>
      {data !== null && ports.length > 0 ? (
        <>
          <div className="series-chips">
            {ports.map((p, i) => (
              <button
                key={p.key}
                type="button"
                className={`chip${hidden.has(p.key) ? ' off' : ''}`}
                aria-pressed={!hidden.has(p.key)}
                onClick={() => {
                  const next = new Set(hidden);
                  if (next.has(p.key)) next.delete(p.key);
                  else next.add(p.key);
                  setHidden(next);
                }}
              >
                <span className="legend-dot" style={{ background: seriesColor(i) }} />
                {p.port}
              </button>
            ))}
            <span className="muted hint">click the chart to inspect a bar</span>
          </div>
          <HistoryChart history={data} ports={ports} hidden={hidden} onPick={(index, time) => void selectBar(index, time)} />
        </>
      ) : null}
      {data !== null ? <HistoryTable node={node} history={data} /> : !loading && error === null ? <p className="muted">Loading history…</p> : null}
    </div>
  );
}
