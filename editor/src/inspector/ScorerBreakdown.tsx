import { formatNumber } from '../app/format.ts';

interface Signal {
  indicator: string;
  enabled?: boolean;
  active?: boolean;
  value?: number | null;
  raw?: number;
  points?: number;
  maxScore?: number;
  sign?: number;
  micro?: boolean;
  conditions?: string[];
}

interface Penalty {
  name: string;
  amount: number;
  reason: string;
}

interface Breakdown {
  total?: number;
  indicatorScore?: number;
  microScore?: number;
  beforeModifier?: number;
  modifier?: number;
  regime?: string;
  classification?: string;
  confidence?: number;
  confluence?: { agree?: number; active?: number; bullish?: number; bearish?: number; pct?: number };
  penalties?: Penalty[];
  signals?: Signal[];
}

const num = (v: unknown): string => (typeof v === 'number' ? formatNumber(v) : '—');
const signed = (v: number | undefined): string => (v === undefined ? '—' : v > 0 ? `+${formatNumber(v)}` : formatNumber(v));

/** The ENYGMA scorer's `breakdown` record: every indicator's points and why, penalties, confidence. */
export function ScorerBreakdown({ breakdown }: { breakdown: unknown }) {
  if (breakdown === null || typeof breakdown !== 'object') return <p className="muted">No breakdown yet: the scorer has not fired (or its regime is still warming up).</p>;
  const b = breakdown as Breakdown;
  const c = b.confluence ?? {};
  return (
    <div className="breakdown" data-testid="scorer-breakdown">
      <div className="breakdown-summary">
        <div>
          <span className="big">{signed(b.total)}</span> <span className="class-chip">{b.classification ?? '—'}</span>
        </div>
        <div className="muted">
          indicators {signed(b.indicatorScore)} · micro {signed(b.microScore)} · before modifier {signed(b.beforeModifier)} · modifier {signed(b.modifier)} ({b.regime ?? '—'})
        </div>
        <div className="muted">
          confluence {num(c.agree)}/{num(c.active)} agree ({num(c.pct)}%) · {num(c.bullish)} bullish · {num(c.bearish)} bearish · confidence <strong>{num(b.confidence)}</strong>
        </div>
      </div>
      <table className="data-table breakdown-table">
        <thead>
          <tr>
            <th>indicator</th>
            <th className="num">value</th>
            <th className="num">points</th>
            <th className="num">max</th>
            <th>sign</th>
          </tr>
        </thead>
        {(b.signals ?? []).map((s) => {
          const state = s.enabled === false ? 'disabled' : s.active === false ? 'inactive' : '';
          const conditions = s.conditions ?? [];
          return (
            <tbody key={s.indicator} className={`signal ${state}`} title={s.enabled === false ? 'disabled: scores nothing' : s.active === false ? 'inactive on this bar' : undefined}>
              <tr>
                <td>
                  {s.indicator}
                  {s.micro ? <span className="muted"> (micro)</span> : null}
                  {state ? <span className="muted small"> · {state}</span> : null}
                </td>
                <td className="num">{num(s.value)}</td>
                <td className={`num points ${(s.points ?? 0) > 0 ? 'pos' : (s.points ?? 0) < 0 ? 'neg' : ''}`}>{signed(s.points)}</td>
                <td className="num muted">{num(s.maxScore)}</td>
                <td className={`sign ${(s.sign ?? 0) > 0 ? 'pos' : (s.sign ?? 0) < 0 ? 'neg' : ''}`}>{(s.sign ?? 0) > 0 ? '▲' : (s.sign ?? 0) < 0 ? '▼' : '·'}</td>
              </tr>
              {conditions.length > 0 ? (
                <tr className="conditions-row">
                  <td colSpan={5} className="conditions">
                    {conditions.join(' · ')}
                  </td>
                </tr>
              ) : null}
            </tbody>
          );
        })}
      </table>
      <div className="subhead">Penalties (confidence = 1 − penalties)</div>
      {b.penalties && b.penalties.length > 0 ? (
        <table className="data-table">
          <tbody>
            {b.penalties.map((p) => (
              <tr key={p.name}>
                <td>{p.name}</td>
                <td className="num neg">−{formatNumber(p.amount)}</td>
                <td>{p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">none</p>
      )}
    </div>
  );
}
