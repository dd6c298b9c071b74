import type { GraphNode } from '../../../engine/server/protocol/rest.ts';
import { formatFull, formatValue } from '../app/format.ts';
import { portColor } from '../graph/colors.ts';

/** The outputs of a node, one row each; records open into their JSON. */
export function ValueTable({ node, values }: { node: GraphNode; values: Record<string, unknown> | undefined }) {
  return (
    <table className="kv-table values-table">
      <tbody>
        {node.outputs.map((o) => {
          const v = values?.[o.port];
          const isRecord = v !== null && typeof v === 'object';
          return (
            <tr key={o.port}>
              <th scope="row">
                <span className="type-dot" style={{ background: portColor(o.type) }} title={o.type} />
                {o.port}
              </th>
              <td className={`t-${o.type}`}>
                {isRecord ? (
                  <details>
                    <summary>{formatValue(v, o.port, 40)}</summary>
                    <pre className="json">{JSON.stringify(v, null, 2)}</pre>
                  </details>
                ) : (
                  <span title={formatFull(v, o.port)} className="value-text">
                    {typeof v === 'string' ? v || '—' : formatValue(v, o.port, 200)}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
