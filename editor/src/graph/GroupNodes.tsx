import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatFull, formatParam, formatValue } from '../app/format.ts';
import { useLive } from '../app/live.ts';
import { toggleInstance, useAppStore } from '../app/store.ts';
import { gateVerdict } from '../inspector/gates.ts';
import { BOX, type BoxModel, type FrameModel, type PortView } from './model.ts';
import { PortHandle } from './NodeCard.tsx';
import { useNodeValues } from './values.ts';

export type BoxNode = Node<{ model: BoxModel }, 'box'>;
export type FrameNode = Node<{ model: FrameModel }, 'frame'>;

function paramsTitle(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}: ${formatFull(v)}`)
    .join('\n');
}

/** An expanded instance: a labelled frame around its nodes. */
export const FrameBox = memo(function FrameBox({ data, width, height }: NodeProps<FrameNode>) {
  const m = data.model;
  const selected = useAppStore((s) => s.selected === m.id);
  const timeframe = m.group.params.timeframe;
  return (
    <div className={`group-frame${selected ? ' selected' : ''}`} style={{ width, height }} data-testid="group-frame" data-group-id={m.groupId}>
      <div className="frame-head" title={paramsTitle(m.group.params)}>
        <button type="button" className="group-toggle nodrag" onClick={(e) => {
            e.stopPropagation();
            toggleInstance(m.groupId);
          }} aria-expanded="true" aria-label={`Collapse ${m.groupId}`} title="Collapse this instance">
          ▾
        </button>
        <span className="frame-name">{m.groupId}</span>
        <span className="frame-sub">
          {m.group.subgraph} · {m.nodeCount} nodes{typeof timeframe === 'string' ? ` · ${timeframe}` : ''}
        </span>
      </div>
    </div>
  );
});

function GateChip({ id, prefix }: { id: string; prefix: string }) {
  const values = useNodeValues(id);
  const blockedAtBar = useAppStore((s) => s.barBlocked.has(id));
  const v = gateVerdict(values);
  const name = id.startsWith(prefix) ? id.slice(prefix.length) : id;
  return (
    <span className={`gate-chip ${v.state}${blockedAtBar ? ' blocked-at-bar' : ''}`} title={`${id}: ${v.reason || 'not decided yet'}`}>
      <span className="chip-mark">{v.state === 'pass' ? '✓' : v.state === 'block' ? '✗' : '·'}</span>
      {name}
    </span>
  );
}

function BoxOutput({ port }: { port: PortView }) {
  const values = useNodeValues(port.node!);
  const value = values?.[port.nodePort!];
  return (
    <span className="row-out" title={`${port.port} (${port.type}): ${formatFull(value, port.nodePort)}`}>
      <span className="out-name">{port.label}</span>
      <span className={`out-value t-${port.type}`}>{formatValue(value, port.nodePort, 14)}</span>
    </span>
  );
}

function FarOutput({ port }: { port: PortView }) {
  const values = useNodeValues(port.node!);
  return (
    <span className="far-value">
      <span className="far-port">{port.nodePort}</span> {formatValue(values?.[port.nodePort!], port.nodePort, 10)}
    </span>
  );
}

function gateSummary(gates: readonly string[], values: Record<string, Record<string, unknown>>): string {
  let passed = 0;
  let blocked = 0;
  for (const g of gates) {
    const state = gateVerdict(values[g]).state;
    if (state === 'pass') passed++;
    else if (state === 'block') blocked++;
  }
  return `${passed} ✓ · ${blocked} ✗`;
}

function BlockedCount({ gates }: { gates: string[] }) {
  const latest = useLive((s) => gateSummary(gates, s.values));
  const atBar = useAppStore((s) => (s.bar?.values != null ? gateSummary(gates, s.bar.values) : null));
  return <span className="box-gates-count">{atBar ?? latest}</span>;
}

const FAR_PORTS = ['total', 'score', 'intent', 'value'];

/** A collapsed instance: one box with its name, its gates at a glance, and its wiring to the outside. */
export const CollapsedBox = memo(function CollapsedBox({ data }: NodeProps<BoxNode>) {
  const m = data.model;
  const selected = useAppStore((s) => s.selected === m.id);
  const blockedAtBar = useAppStore((s) => m.gates.some((g) => s.barBlocked.has(g)));
  const rows = Math.max(m.inputs.length, m.outputs.length, 1);
  const prefix = `${m.groupId}/`;
  const params = Object.entries(m.group.params).slice(0, 2);
  const farOutput = FAR_PORTS.map((p) => m.outputs.find((o) => o.nodePort === p)).find((o) => o !== undefined) ?? m.outputs[0];
  return (
    <div className={`group-box${selected ? ' selected' : ''}${blockedAtBar ? ' blocked-at-bar' : ''}`} style={{ width: m.width, height: m.height }} data-testid="group-box" data-group-id={m.groupId}>
      <button
        type="button"
        className="group-toggle box-toggle nodrag"
        onClick={(e) => {
          e.stopPropagation();
          toggleInstance(m.groupId);
        }}
        aria-expanded="false"
        aria-label={`Expand ${m.groupId}`}
        title="Expand this instance"
      >
        ▸
      </button>
      <div className="box-head" style={{ height: BOX.header }} title={paramsTitle(m.group.params)}>
        <div className="box-titles">
          <span className="box-name">{m.groupId}</span>
          <span className="box-sub">
            {m.group.subgraph} · {m.nodeIds.length} nodes
            {params.map(([k, v]) => ` · ${k} ${formatParam(v, 12)}`).join('')}
          </span>
        </div>
        {m.gates.length > 0 ? <BlockedCount gates={m.gates} /> : null}
      </div>
      {m.gates.length > 0 ? (
        <div className="box-gates" style={{ top: m.gatesTop }}>
          {m.gates.map((g) => (
            <GateChip key={g} id={g} prefix={prefix} />
          ))}
        </div>
      ) : null}
      {Array.from({ length: rows }, (_, i) => {
        const input = m.inputs[i];
        const output = m.outputs[i];
        return (
          <div key={i} className="card-row" style={{ top: m.rowsTop + i * BOX.row, height: BOX.row }}>
            <span className="row-in" title={input === undefined ? undefined : `${input.label} (${input.type})`}>
              {input?.label ?? ''}
            </span>
            {output !== undefined ? <BoxOutput port={output} /> : null}
          </div>
        );
      })}
      <div className={`far-view${m.height < 120 ? ' compact' : ''}`} aria-hidden="true">
        <span className="far-title">{m.groupId}</span>
        {m.height >= 120 ? (
          <span className="far-port">
            {m.group.subgraph} · {m.nodeIds.length} nodes
          </span>
        ) : null}
        {m.gates.length > 0 ? (
          <span className="far-value">
            <BlockedCount gates={m.gates} />
          </span>
        ) : farOutput !== undefined ? (
          <FarOutput port={farOutput} />
        ) : null}
      </div>
      {m.inputs.map((p) => (
        <PortHandle key={p.handle} port={p} side="in" />
      ))}
      {m.outputs.map((p) => (
        <PortHandle key={p.handle} port={p} side="out" />
      ))}
    </div>
  );
});
