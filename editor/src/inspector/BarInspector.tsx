import { useMemo, useState } from 'react';
import type { PipelineDetail } from '../api/client.ts';
import { formatFull, formatTime, formatValue } from '../app/format.ts';
import { clearBar, focusNode, selectBar, useAppStore } from '../app/store.ts';
import { categoryColor } from '../graph/colors.ts';
import { entryGateIds, gateVerdict, isEntryNode, isGateNode } from './gates.ts';

interface Row {
  node: string;
  type: string;
  category: string;
  port: string;
  value: unknown;
  text: string;
}

/** Every node's value at one bar, grouped by instance and searchable; the gates that blocked first. */
export function BarInspector({ detail }: { detail: PipelineDetail }) {
  const bar = useAppStore((s) => s.bar);
  const blocked = useAppStore((s) => s.barBlocked);
  const [query, setQuery] = useState('');
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());

  const groups = useMemo(() => {
    const out = new Map<string, Row[]>();
    if (bar?.values == null) return out;
    for (const n of detail.nodes) {
      const key = n.group ?? '(top level)';
      const list = out.get(key) ?? out.set(key, []).get(key)!;
      const values = bar.values[n.id] ?? {};
      for (const o of n.outputs) {
        const value = values[o.port];
        list.push({ node: n.id, type: n.type, category: n.category, port: o.port, value, text: formatFull(value, o.port) });
      }
    }
    return out;
  }, [bar, detail]);

  const q = query.trim().toLowerCase();
  const matches = (r: Row) => q === '' || r.node.toLowerCase().includes(q) || r.port.toLowerCase().includes(q) || r.type.toLowerCase().includes(q) || r.text.toLowerCase().includes(q);

  if (bar === null)
    return (
      <div className="bar-inspector empty" data-testid="bar-inspector">
        <p className="muted">Pick a bar on the run chart (or a row of a node's history) to see every node's value at that bar and which gates blocked.</p>
      </div>
    );

  const entries = detail.nodes.filter((n) => isEntryNode(n) && entryGateIds(n).length > 0);
  let total = 0;
  return (
    <div className="bar-inspector" data-testid="bar-inspector" data-bar-index={bar.index}>
      <div className="bar-head">
        <button type="button" onClick={() => void selectBar(bar.index - 1)} aria-label="Previous bar" title="Previous bar">
          ‹
        </button>
        <div className="bar-title">
          <strong>Bar #{bar.index}</strong>
          <span className="muted">{bar.time !== null ? ` ${formatTime(bar.time)} UTC` : ''}</span>
        </div>
        <button type="button" onClick={() => void selectBar(bar.index + 1)} aria-label="Next bar" title="Next bar">
          ›
        </button>
        <button type="button" className="close" onClick={clearBar} aria-label="Close the bar inspector" title="Back to live values">
          ✕
        </button>
      </div>
      {bar.status === 'loading' ? <p className="muted">Loading every node's value at this bar…</p> : null}
      {bar.status === 'error' ? <p className="error-text">{bar.error}</p> : null}
      {bar.values !== null ? (
        <>
          {entries.map((e) => {
            const v = bar.values![e.id] ?? {};
            const by = typeof v.blockedBy === 'string' ? v.blockedBy : '';
            return (
              <div key={e.id} className={`bar-verdict ${by ? 'blocked' : v.intent ? 'taken' : ''}`}>
                <button type="button" className="link" onClick={() => focusNode(e.id)}>
                  {e.id}
                </button>
                : {v.intent ? <strong>entry signalled</strong> : by ? <>blocked by “{by}”</> : 'no decision on this bar'}
              </div>
            );
          })}
          {blocked.size > 0 ? (
            <div className="blocked-list">
              <div className="subhead">Gates that blocked ({blocked.size})</div>
              {[...blocked].map((id) => (
                <div key={id} className="blocked-item">
                  <button type="button" className="link" onClick={() => focusNode(id)}>
                    {id}
                  </button>{' '}
                  <span className="reason">{gateVerdict(bar.values![id]).reason}</span>
                </div>
              ))}
            </div>
          ) : (
            <p className="muted small">No gate blocked at this bar.</p>
          )}
          <input className="bar-search" type="search" placeholder="Filter by node, port, type or value…" aria-label="Filter bar values" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="bar-search" />
          <div className="bar-table-scroll">
            <table className="data-table bar-table">
              <tbody>
                {[...groups.entries()].map(([group, rows]) => {
                  const visible = rows.filter(matches);
                  total += visible.length;
                  if (visible.length === 0) return null;
                  const isClosed = closed.has(group) && q === '';
                  return [
                    <tr key={`g:${group}`} className="group-row">
                      <th colSpan={3}>
                        <button
                          type="button"
                          className="link group-toggle-row"
                          aria-expanded={!isClosed}
                          onClick={() => {
                            const next = new Set(closed);
                            if (next.has(group)) next.delete(group);
                            else next.add(group);
                            setClosed(next);
                          }}
                        >
                          {isClosed ? '▸' : '▾'} {group}
                        </button>
                        <span className="muted"> {new Set(visible.map((r) => r.node)).size} nodes</span>
                      </th>
                    </tr>,
                    ...(isClosed
                      ? []
                      : visible.map((r, i) => {
                          const first = i === 0 || visible[i - 1]!.node !== r.node;
                          const gate = isGateNode({ type: r.type, category: r.category });
                          return (
                            <tr key={`${r.node}.${r.port}`} className={`${blocked.has(r.node) ? 'blocked' : ''}${first ? ' first' : ''}`}>
                              <td className="node-cell">
                                {first ? (
                                  <button type="button" className="link" onClick={() => focusNode(r.node)} title={r.type}>
                                    <span className="type-dot" style={{ background: categoryColor(r.category) }} />
                                    {r.node.startsWith(`${group}/`) ? r.node.slice(group.length + 1) : r.node}
                                  </button>
                                ) : null}
                              </td>
                              <td className="port-cell">{r.port}</td>
                              <td className={`value-cell${gate && r.port === 'pass' ? (r.value === true ? ' pass' : ' block') : ''}`} title={r.text}>
                                {formatValue(r.value, r.port, 48)}
                              </td>
                            </tr>
                          );
                        })),
                  ];
                })}
              </tbody>
            </table>
            {total === 0 ? <p className="muted">Nothing matches “{query}”.</p> : null}
          </div>
        </>
      ) : null}
    </div>
  );
}
