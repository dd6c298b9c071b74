import type { GraphNode } from '../../../engine/server/protocol/rest.ts';
import { useLive } from '../app/live.ts';
import { focusNode, useAppStore } from '../app/store.ts';
import { entryGateIds, gateVerdict, isGateNode } from './gates.ts';

function Verdict({ values }: { values: Record<string, unknown> | undefined }) {
  const v = gateVerdict(values);
  return (
    <div className={`gate-verdict ${v.state}`} data-testid="gate-verdict">
      <span className="verdict-badge">{v.state === 'pass' ? 'PASS' : v.state === 'block' ? 'BLOCK' : 'NOT DECIDED'}</span>
      <span className="verdict-reason">{v.reason || 'the gate has not fired yet'}</span>
    </div>
  );
}

function GateRow({ id, source }: { id: string; source: 'live' | 'bar' }) {
  const latest = useLive((s) => s.values[id]);
  const atBar = useAppStore((s) => s.bar?.values?.[id]);
  const v = gateVerdict(source === 'bar' ? atBar : latest);
  return (
    <tr className={`gate-row ${v.state}`}>
      <td>
        <span className={`gate-badge ${v.state}`}>{v.state === 'pass' ? 'PASS' : v.state === 'block' ? 'BLOCK' : '—'}</span>
      </td>
      <td>
        <button type="button" className="link" onClick={() => focusNode(id)}>
          {id}
        </button>
      </td>
      <td className="reason">{v.reason || '—'}</td>
    </tr>
  );
}

/** What an entry node that reads this gate says blocked it (the first blocking gate wins). */
function EntryVerdict({ id, source }: { id: string; source: 'live' | 'bar' }) {
  const latest = useLive((s) => s.values[id]);
  const atBar = useAppStore((s) => s.bar?.values?.[id]);
  const v = source === 'bar' ? atBar : latest;
  const by = typeof v?.blockedBy === 'string' ? v.blockedBy : '';
  return (
    <div className={`blocked-by ${by ? 'blocked' : 'clear'}`} data-testid="entry-blocked-by">
      <button type="button" className="link" onClick={() => focusNode(id)}>
        {id}
      </button>{' '}
      <span className="label">blockedBy</span> {by || (v?.intent ? 'nothing — entry taken' : '—')}
    </div>
  );
}

/** A gate's verdict (and what its entry says); for an entry node, which gate blocked and every gate's verdict. */
export function GatePanel({ node, values, source, entries = [] }: { node: GraphNode; values: Record<string, unknown> | undefined; source: 'live' | 'bar'; entries?: string[] }) {
  const gates = entryGateIds(node);
  const blockedBy = typeof values?.blockedBy === 'string' ? values.blockedBy : null;
  return (
    <div className="gate-panel">
      {isGateNode(node) ? <Verdict values={values} /> : null}
      {entries.map((id) => (
        <EntryVerdict key={id} id={id} source={source} />
      ))}
      {blockedBy !== null || gates.length > 0 ? (
        <div className={`blocked-by ${blockedBy ? 'blocked' : 'clear'}`} data-testid="blocked-by">
          <span className="label">blockedBy</span> {blockedBy || (values?.intent ? 'nothing — entry taken' : '—')}
        </div>
      ) : null}
      {gates.length > 0 ? (
        <table className="gate-table">
          <tbody>
            {gates.map((g) => (
              <GateRow key={g} id={g} source={source} />
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
