import { useMemo } from 'react';
import type { NodeTypeInfo, PipelineDetail } from '../api/client.ts';
import type { GraphNode } from '../../../engine/server/protocol/rest.ts';
import { formatFull } from '../app/format.ts';
import { focusNode } from '../app/store.ts';
import { portColor } from '../graph/colors.ts';
import { renderMarkdown } from './markdown.ts';

/** Help from the node's `.md`, rendered safely. */
export function HelpView({ nodeType }: { nodeType: NodeTypeInfo | undefined }) {
  const html = useMemo(() => (nodeType === undefined ? '' : renderMarkdown(nodeType.help)), [nodeType]);
  if (nodeType === undefined) return <p className="muted">Loading help…</p>;
  return <div className="markdown" data-testid="node-help" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** Inputs with where they come from, outputs with who reads them; every id jumps to that node. */
export function PortsList({ node, detail, nodeType }: { node: GraphNode; detail: PipelineDetail; nodeType: NodeTypeInfo | undefined }) {
  const readers = useMemo(() => {
    const out = new Map<string, string[]>();
    for (const n of detail.nodes) for (const i of n.inputs) for (const s of i.sources) if (s.node === node.id) (out.get(s.port) ?? out.set(s.port, []).get(s.port)!).push(`${n.id}.${i.port}`);
    return out;
  }, [detail, node.id]);
  const link = (ref: string) => {
    const dot = ref.lastIndexOf('.');
    const id = ref.slice(0, dot);
    return (
      <button key={ref} type="button" className="link ref" onClick={() => focusNode(id)}>
        {ref}
      </button>
    );
  };
  return (
    <div className="ports-list">
      <div className="subhead">Inputs</div>
      {node.inputs.length === 0 ? <p className="muted">none (a source node)</p> : null}
      <table className="kv-table">
        <tbody>
          {node.inputs.map((i) => (
            <tr key={i.port}>
              <th scope="row" title={nodeType?.inputs[i.port]?.help}>
                <span className="type-dot" style={{ background: portColor(i.type) }} />
                {i.port}
                <span className="muted">
                  {' '}
                  {i.type}
                  {i.many ? '[]' : ''}
                  {i.optional ? '?' : ''}
                </span>
              </th>
              <td className="refs">{i.sources.length === 0 ? <span className="muted">not wired</span> : i.sources.map((s) => link(`${s.node}.${s.port}`))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="subhead">Outputs</div>
      <table className="kv-table">
        <tbody>
          {node.outputs.map((o) => (
            <tr key={o.port}>
              <th scope="row" title={nodeType?.outputs[o.port]?.help}>
                <span className="type-dot" style={{ background: portColor(o.type) }} />
                {o.port}
                <span className="muted"> {o.type}</span>
              </th>
              <td className="refs">{(readers.get(o.port) ?? []).length === 0 ? <span className="muted">—</span> : readers.get(o.port)!.map(link)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Params as compiled (defaults filled in), with each one's description; read-only. */
export function ParamsList({ node, nodeType }: { node: GraphNode; nodeType: NodeTypeInfo | undefined }) {
  const params = (node.params ?? {}) as Record<string, unknown>;
  const names = Object.keys(params);
  if (names.length === 0) return <p className="muted">This node has no params.</p>;
  return (
    <table className="kv-table params-table" data-testid="params-list">
      <tbody>
        {names.map((name) => {
          const spec = nodeType?.params.find((p) => p.name === name);
          const value = params[name];
          const isDefault = spec?.default !== undefined && JSON.stringify(spec.default) === JSON.stringify(value);
          return (
            <tr key={name}>
              <th scope="row" title={spec?.description}>
                {name}
              </th>
              <td>
                <code className="param-json">{formatFull(value)}</code>
                {isDefault ? <span className="muted"> (default)</span> : null}
                {spec?.description ? <div className="muted small">{spec.description}</div> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
