import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { createContext, memo, useContext, useRef, type CSSProperties } from 'react';
import { formatFull, formatParam, formatValue } from '../app/format.ts';
import { useAppStore } from '../app/store.ts';
import { gateVerdict, type GateVerdict } from '../inspector/gates.ts';
import { portColor } from './colors.ts';
import { CARD, type CardModel, type PortView } from './model.ts';
import { Sparkline } from './Sparkline.tsx';
import { useNodeDerived, useNodeValues } from './values.ts';
import { useOnScreen } from './visibility.ts';

export type CardNode = Node<{ model: CardModel }, 'card'>;

/** A port's handle; memoised: a card's value ticks never re-render its handles. */
export const PortHandle = memo(function PortHandle({ port, side }: { port: PortView; side: 'in' | 'out' }) {
  const color = portColor(port.type);
  const style: CSSProperties = { top: port.y, background: port.optional ? 'transparent' : color, borderColor: color };
  return (
    <Handle
      type={side === 'in' ? 'target' : 'source'}
      position={side === 'in' ? Position.Left : Position.Right}
      id={port.handle}
      isConnectable={false}
      className={`port-handle${port.many ? ' many' : ''}`}
      style={style}
      title={`${port.label}: ${port.type}${port.many ? ' (many)' : ''}${port.optional ? ' (optional)' : ''}`}
    />
  );
});

export function GateBadge({ verdict }: { verdict: GateVerdict }) {
  const text = verdict.state === 'pass' ? 'PASS' : verdict.state === 'block' ? 'BLOCK' : '—';
  return (
    <span className={`gate-badge ${verdict.state}`} title={verdict.reason || 'not decided yet'}>
      {text}
    </span>
  );
}

/**
 * Whether the graph is zoomed out past reading distance: cards then show only their id and main
 * value (the rest is hidden by CSS), so they do not render rows or sparklines at all.
 */
export const FarZoom = createContext(false);

const noGate = (): null => null;
/** a gate's verdict as one string (state, then reason): a primitive, so a card re-renders only when it changes */
const gateText = (values: Record<string, unknown> | undefined): string => {
  const v = gateVerdict(values);
  return `${v.state}\n${v.reason}`;
};

function readVerdict(text: string | null): GateVerdict | null {
  if (text === null) return null;
  const cut = text.indexOf('\n');
  return { state: text.slice(0, cut) as GateVerdict['state'], reason: text.slice(cut + 1) };
}

/** The live part of a card: one row per port with the output's value. Re-renders on its node's ticks only, while on screen. */
const CardRows = memo(function CardRows({ m, active }: { m: CardModel; active: boolean }) {
  const values = useNodeValues(m.id, active);
  const rows = Math.max(m.inputs.length, m.outputs.length, 1);
  return (
    <>
      {Array.from({ length: rows }, (_, i) => {
        const input = m.inputs[i];
        const output = m.outputs[i];
        const value = output === undefined ? undefined : values?.[output.port];
        return (
          <div key={i} className="card-row" style={{ top: m.rowsTop + i * CARD.row, height: CARD.row }}>
            <span className="row-in" title={input === undefined ? undefined : `${input.port} (${input.type})`}>
              {input === undefined ? '' : `${input.port}${input.many ? '[]' : ''}`}
            </span>
            {output !== undefined ? (
              <span className="row-out" title={`${output.port} (${output.type}): ${formatFull(value, output.port)}`}>
                <span className="out-name">{output.port}</span>
                <span className={`out-value t-${output.type}`}>{formatValue(value, output.port, 16)}</span>
              </span>
            ) : null}
          </div>
        );
      })}
    </>
  );
});

/** The main value, large, for the far view. */
function FarValue({ id, port, active }: { id: string; port: string; active: boolean }) {
  const text = useNodeDerived(id, (values) => formatValue(values?.[port], port, 12), active);
  return (
    <span className="far-value">
      <span className="far-port">{port}</span> {text}
    </span>
  );
}

/**
 * One generic card for every node type, drawn from the node's definition and its live outputs. The
 * card itself re-renders only when its model, selection or gate verdict changes; the values live in
 * CardRows, Sparkline and FarValue, which are not rendered where they cannot be read (far zoom) and
 * do not follow live ticks off screen (they catch up when they come back).
 */
export const NodeCard = memo(function NodeCard({ data }: NodeProps<CardNode>) {
  const m = data.model;
  const far = useContext(FarZoom);
  const ref = useRef<HTMLDivElement>(null);
  const onScreen = useOnScreen(ref);
  const selected = useAppStore((s) => s.selected === m.id);
  const blockedAtBar = useAppStore((s) => s.barBlocked.has(m.id));
  const verdict = readVerdict(useNodeDerived(m.id, m.gate ? gateText : noGate, onScreen));
  const farPort = m.outputs.find((o) => o.port === m.mainSeries) ?? m.outputs.find((o) => o.type !== 'record' && o.type !== 'bar') ?? m.outputs[0];
  const className = ['node-card', selected ? 'selected' : '', blockedAtBar ? 'blocked-at-bar' : '', verdict !== null ? `gate-${verdict.state}` : ''].filter(Boolean).join(' ');
  return (
    <div ref={ref} className={className} style={{ width: m.width, height: m.height, '--accent': m.color } as CSSProperties} data-testid="node-card" data-node-id={m.id} data-category={m.node.category}>
      <div className="card-head" style={{ height: CARD.header }}>
        <span className="card-title" title={m.node.label ?? m.node.title}>
          {m.node.label ?? m.node.title}
        </span>
        {verdict !== null ? <GateBadge verdict={verdict} /> : <span className="card-cat">{m.node.category}</span>}
      </div>
      <div className="card-sub" style={{ height: CARD.sub }} title={`${m.node.id} · ${m.node.type} · clock ${m.node.clock}`}>
        <span className="card-id">{m.localId}</span> <span className="card-type">{m.node.type}</span>
      </div>
      {m.paramLines.map((line, i) => (
        <div key={i} className="card-param" style={{ top: m.paramsTop + i * CARD.param, height: CARD.param }} title={line.map((p) => `${p.name}: ${formatFull(p.value)}`).join('\n')}>
          {line.map((p) => (
            <span key={p.name} className="param-chip">
              <span className="param-name">{p.name}</span> <span className="param-value">{formatParam(p.value)}</span>
            </span>
          ))}
          {i === m.paramLines.length - 1 && m.moreParams > 0 ? <span className="param-more">+{m.moreParams}</span> : null}
        </div>
      ))}
      {far ? null : <CardRows m={m} active={onScreen} />}
      {m.mainSeries !== null && !far ? (
        <div className="card-spark" style={{ top: m.sparkTop }} title={`recent ${m.mainSeries}`}>
          <Sparkline seriesKey={`${m.id}.${m.mainSeries}`} width={m.width - 20} height={CARD.spark - 6} color={m.color} active={onScreen} />
        </div>
      ) : null}
      {verdict !== null ? (
        <div className={`card-reason ${verdict.state}`} style={{ top: m.reasonTop, height: CARD.reason }} title={verdict.reason}>
          {verdict.reason || 'not decided yet'}
        </div>
      ) : null}
      <div className={`far-view${m.height < 84 ? ' compact' : ''}`} aria-hidden="true">
        <span className="far-title">{m.localId}</span>
        {verdict !== null ? (
          <span className={`far-value gate-${verdict.state}`}>{verdict.state === 'pass' ? 'PASS' : verdict.state === 'block' ? 'BLOCK' : '—'}</span>
        ) : farPort !== undefined && far ? (
          <FarValue id={m.id} port={farPort.port} active={onScreen} />
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
