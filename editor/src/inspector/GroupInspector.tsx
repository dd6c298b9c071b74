import type { PipelineDetail } from '../api/client.ts';
import type { GraphGroup } from '../../../engine/server/protocol/rest.ts';
import { formatFull } from '../app/format.ts';
import { focusNode, toggleInstance, useAppStore } from '../app/store.ts';
import { categoryColor } from '../graph/colors.ts';

/** A sub-graph instance: its params and its nodes. */
export function GroupInspector({ group, detail }: { group: GraphGroup; detail: PipelineDetail }) {
  const collapsed = useAppStore((s) => (s.collapsed[detail.name] ?? []).includes(group.id));
  const nodes = detail.nodes.filter((n) => n.group === group.id || n.id.startsWith(`${group.id}/`));
  return (
    <div className="node-inspector">
      <header className="inspector-head">
        <div className="inspector-title">
          <h2>{group.id}</h2>
          <span className="cat-chip">instance</span>
        </div>
        <div className="inspector-id">
          sub-graph <code>{group.subgraph}</code> · {nodes.length} nodes{group.parent !== null ? ` · inside ${group.parent}` : ''}
        </div>
        <button type="button" onClick={() => toggleInstance(group.id)}>
          {collapsed ? 'Expand' : 'Collapse'} {group.id}
        </button>
      </header>
      <div className="inspector-body">
        <div className="subhead">Instance params</div>
        <table className="kv-table">
          <tbody>
            {Object.entries(group.params).map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>
                  <code>{formatFull(v)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="subhead">Nodes</div>
        <ul className="node-list">
          {nodes.map((n) => (
            <li key={n.id}>
              <span className="type-dot" style={{ background: categoryColor(n.category) }} />
              <button type="button" className="link" onClick={() => focusNode(n.id)}>
                {n.id}
              </button>{' '}
              <span className="muted">{n.type}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
