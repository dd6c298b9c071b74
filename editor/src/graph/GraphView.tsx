import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, ReactFlowProvider, useNodesInitialized, useNodesState, useReactFlow, useStore, type Edge, type NodeChange } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { PipelineDetail } from '../api/client.ts';
import { formatTime } from '../app/format.ts';
import { clearBar, collapseAll, expandAll, fitGraph, focusNode, selectNode, useAppStore } from '../app/store.ts';
import { CollapsedBox, FrameBox, type BoxNode, type FrameNode } from './GroupNodes.tsx';
import { lastReport, layoutModel } from './layout.ts';
import { layoutKey, type LayoutReport, type Placement } from './layout-input.ts';
import { Legend } from './Legend.tsx';
import { buildGraphModel, type GraphModel } from './model.ts';
import { FarZoom, NodeCard, type CardNode } from './NodeCard.tsx';

type FlowNode = CardNode | BoxNode | FrameNode;

// declared once: React Flow re-mounts every node when this object changes identity
const NODE_TYPES = { card: NodeCard, box: CollapsedBox, frame: FrameBox };
const PRO_OPTIONS = { hideAttribution: true };
const EMPTY: readonly string[] = [];
/** below this zoom card text is unreadable: focusing a big frame shows its top-left instead */
const READABLE_ZOOM = 0.6;
const FAR_ZOOM = 0.55;
// room for the toolbar above and the legend below
const FIT = { top: 52, bottom: 40, left: 16, right: 16 };
/** fitting a very tall graph below this zoom fits its width instead */
const MIN_FIT_ZOOM = 0.08;

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

function bounds(model: GraphModel, placed: Map<string, Placement>): Bounds | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const m of model.nodes) {
    if (m.parentId !== null) continue;
    const p = placed.get(m.id);
    if (p === undefined) continue;
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + (m.kind === 'frame' ? p.width : m.width));
    y1 = Math.max(y1, p.y + (m.kind === 'frame' ? p.height : m.height));
  }
  return Number.isFinite(x0) ? { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) } : null;
}

declare global {
  interface Window {
    /** timings for end-to-end checks: ms from navigation start */
    __barflow?: { graphReadyMs?: number; layoutMs?: number; layout?: LayoutReport; nodes?: number; detailMs?: number; scriptMs?: number };
  }
}

function toFlowNodes(model: GraphModel, placed: Map<string, Placement>, selected: string | null): FlowNode[] {
  return model.nodes.map((m) => {
    const p = placed.get(m.id) ?? { x: 0, y: 0, width: m.width, height: m.height };
    const width = m.kind === 'frame' ? p.width : m.width;
    const height = m.kind === 'frame' ? p.height : m.height;
    return {
      id: m.id,
      type: m.kind,
      position: { x: p.x, y: p.y },
      data: { model: m },
      ...(m.parentId !== null ? { parentId: m.parentId } : {}),
      width,
      height,
      selected: m.id === selected,
      ...(m.kind === 'frame' ? { style: { width, height }, zIndex: -1, className: 'frame-node' } : {}),
    } as FlowNode;
  });
}

function edgeClass(e: { source: string; target: string }, selected: string | null): string {
  if (selected === null) return '';
  return e.source === selected || e.target === selected ? 'edge-hl' : 'edge-dim';
}

function toFlowEdges(model: GraphModel, selected: string | null): Edge[] {
  return model.edges.map((e) => ({
    id: e.id,
    source: e.source,
    sourceHandle: e.sourceHandle,
    target: e.target,
    targetHandle: e.targetHandle,
    focusable: false,
    selectable: false,
    className: edgeClass(e, selected),
    zIndex: edgeClass(e, selected) === 'edge-hl' ? 5 : 0,
    style: { stroke: e.color, strokeWidth: Math.min(1.4 + (e.count - 1) * 0.6, 4) },
    data: { type: e.type, count: e.count },
  }));
}

function BarBanner() {
  const bar = useAppStore((s) => s.bar);
  const blocked = useAppStore((s) => s.barBlocked.size);
  if (bar === null) return null;
  return (
    <div className="bar-banner" role="status">
      {bar.status === 'loading' ? 'Loading values at bar…' : bar.status === 'error' ? `Bar ${bar.index}: ${bar.error}` : `Values at bar #${bar.index}${bar.time !== null ? ` · ${formatTime(bar.time)} UTC` : ''} · ${blocked} gate${blocked === 1 ? '' : 's'} blocked`}
      <button type="button" onClick={clearBar}>
        Back to live
      </button>
    </div>
  );
}

function NodeSearch({ detail }: { detail: PipelineDetail }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(false);
  const go = () => {
    const q = text.trim();
    if (q === '') return;
    const exact = detail.nodes.find((n) => n.id === q) ?? detail.nodes.find((n) => n.id.endsWith(`/${q}`)) ?? detail.nodes.find((n) => n.id.includes(q) || n.type.includes(q));
    setError(exact === undefined);
    if (exact !== undefined) focusNode(exact.id);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') go();
  };
  return (
    <div className="node-search">
      <input
        list="graph-node-ids"
        placeholder="Find node (id or type)…"
        aria-label="Find a node"
        value={text}
        className={error ? 'invalid' : ''}
        onChange={(e) => {
          setText(e.target.value);
          setError(false);
        }}
        onKeyDown={onKey}
        data-testid="node-search"
      />
      <datalist id="graph-node-ids">
        {detail.nodes.map((n) => (
          <option key={n.id} value={n.id} />
        ))}
      </datalist>
    </div>
  );
}

function GraphCanvas({ detail }: { detail: PipelineDetail }) {
  const collapsedIds = useAppStore((s) => s.collapsed[detail.name] ?? EMPTY);
  const selected = useAppStore((s) => s.selected);
  const focus = useAppStore((s) => s.focus);
  const fitSeq = useAppStore((s) => s.fitSeq);
  const collapsed = useMemo(() => new Set(collapsedIds), [collapsedIds]);
  const model = useMemo(() => buildGraphModel(detail, collapsed), [detail, collapsed]);
  const [nodes, setNodes, onNodesChange] = useNodesState<FlowNode>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const [phase, setPhase] = useState<'layout' | 'placed' | 'ready' | 'error'>('layout');
  const [layoutError, setLayoutError] = useState<string | null>(null);
  const phaseRef = useRef(phase);
  const pending = useRef<{ kind: 'all' } | { kind: 'node'; id: string } | null>({ kind: 'all' });
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const modelRef = useRef(model);
  modelRef.current = model;
  const rf = useReactFlow<FlowNode, Edge>();
  const canvasRef = useRef<HTMLDivElement | null>(null);
  const boundsRef = useRef<Bounds | null>(null);
  /** the layout on screen: what it was computed for (layoutKey) and where it put the nodes */
  const shownRef = useRef<{ key: string; placed: Map<string, Placement> } | null>(null);

  /**
   * Fits the whole graph from the layout's own bounds (known before React Flow has measured
   * anything). A graph far taller than the view is fitted to its width and shown from the top.
   */
  const fitAll = useCallback(
    (duration: number) => {
      const b = boundsRef.current;
      const box = canvasRef.current;
      if (b === null || box === null) return Promise.resolve(false);
      const width = box.clientWidth - FIT.left - FIT.right;
      const height = box.clientHeight - FIT.top - FIT.bottom;
      const zw = width / b.width;
      const zh = height / b.height;
      let zoom = Math.min(1, zw, zh);
      let top = FIT.top + (height - b.height * zoom) / 2;
      if (zoom < MIN_FIT_ZOOM) {
        zoom = Math.max(MIN_FIT_ZOOM, Math.min(1, zw));
        top = FIT.top;
      }
      const left = FIT.left + Math.max(0, (width - b.width * zoom) / 2);
      return rf.setViewport({ x: left - b.x * zoom, y: top - b.y * zoom, zoom }, { duration });
    },
    [rf],
  );
  const initialized = useNodesInitialized();
  // below this zoom the cards' small print is unreadable: they show their id and main value large instead
  const far = useStore((st) => st.transform[2] < FAR_ZOOM);

  // the store owns selection: React Flow's select changes (a click, Enter on a focused node) become
  // store actions and come back as each node's `selected` flag
  const handleNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      let picked: string | null = null;
      const rest = changes.filter((c) => {
        if (c.type !== 'select') return true;
        if (c.selected) picked = c.id;
        return false;
      });
      if (picked !== null) selectNode(picked);
      if (rest.length > 0) onNodesChange(rest);
    },
    [onNodesChange],
  );

  /** Brings a node into view; a big frame is shown from its top-left at a readable zoom. */
  const focusOn = useCallback(
    (id: string, duration: number) => {
      const node = rf.getInternalNode(id);
      const box = canvasRef.current;
      if (node === undefined || box === null) return Promise.resolve(false);
      const { x, y } = node.internals.positionAbsolute;
      const w = node.measured.width ?? node.width ?? 200;
      const h = node.measured.height ?? node.height ?? 100;
      const zoom = Math.min(1.1, (box.clientWidth - 60) / w, (box.clientHeight - 110) / h);
      if (zoom >= READABLE_ZOOM) return rf.setCenter(x + w / 2, y + h / 2 + 20 / zoom, { zoom, duration });
      return rf.setViewport({ x: -x * READABLE_ZOOM + 24, y: -y * READABLE_ZOOM + 56, zoom: READABLE_ZOOM }, { duration });
    },
    [rf],
  );

  // lay out whenever the graph or the collapsed instances change
  useEffect(() => {
    const key = layoutKey(model);
    const shown = shownRef.current;
    if (shown !== null && shown.key === key && (phaseRef.current === 'ready' || phaseRef.current === 'placed')) {
      // same nodes, sizes and wires (a param saved, a label changed): the cards take their new
      // contents where they stand, at once; no layout, no refit
      const byId = new Map(model.nodes.map((m) => [m.id, m]));
      setNodes((list) =>
        list.map((n) => {
          const m = byId.get(n.id);
          return m === undefined || m === n.data.model ? n : ({ ...n, data: { model: m } } as FlowNode);
        }),
      );
      setEdges(toFlowEdges(model, selectedRef.current));
      return;
    }
    let cancelled = false;
    phaseRef.current = 'layout';
    setPhase('layout');
    const t0 = performance.now();
    layoutModel(model, detail.name)
      .then((placed) => {
        if (cancelled) return;
        shownRef.current = { key, placed };
        window.__barflow = { ...window.__barflow, layoutMs: performance.now() - t0, layout: lastReport ?? undefined };
        boundsRef.current = bounds(model, placed);
        setNodes(toFlowNodes(model, placed, selectedRef.current));
        setEdges(toFlowEdges(model, selectedRef.current));
        phaseRef.current = 'placed';
        setPhase('placed');
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setLayoutError(error instanceof Error ? error.message : String(error));
        phaseRef.current = 'error';
        setPhase('error');
      });
    return () => {
      cancelled = true;
    };
  }, [model, setNodes]); // eslint-disable-line react-hooks/exhaustive-deps

  // once placed and measured: fit (all, or the node asked for), then say the graph is drawn
  useEffect(() => {
    if (phase !== 'placed' || !initialized) return;
    const request = pending.current;
    pending.current = null;
    const done = () => {
      requestAnimationFrame(() => {
        phaseRef.current = 'ready';
        setPhase('ready');
        window.__barflow = { ...window.__barflow, graphReadyMs: performance.now(), nodes: modelRef.current.nodes.length };
      });
    };
    if (request?.kind === 'node') {
      const shown = modelRef.current.shownAs[request.id] ?? request.id;
      void focusOn(shown, 0).then(done, done);
    } else if (request?.kind === 'all') {
      void fitAll(0).then(done, done);
    } else done();
  }, [phase, initialized, fitAll, focusOn]);

  useEffect(() => {
    if (focus === null) return;
    if (phaseRef.current === 'ready') {
      const shown = modelRef.current.shownAs[focus.id] ?? focus.id;
      void focusOn(shown, 250);
    } else pending.current = { kind: 'node', id: focus.id };
  }, [focus, focusOn]);

  useEffect(() => {
    if (fitSeq === 0) return;
    if (phaseRef.current === 'ready') void fitAll(250);
    else pending.current = { kind: 'all' };
  }, [fitSeq, fitAll]);

  // selection from elsewhere (inspector, bar table) → the graph; wires of the selected node stand out
  useEffect(() => {
    setNodes((list) => list.map((n) => (n.selected === (n.id === selected) ? n : { ...n, selected: n.id === selected })));
    setEdges((list) => list.map((e) => {
      const className = edgeClass(e, selected);
      return e.className === className ? e : { ...e, className, zIndex: className === 'edge-hl' ? 5 : 0 };
    }));
  }, [selected, setNodes]);

  return (
    <div className="graph-canvas" ref={canvasRef} data-testid="graph" data-state={phase} data-nodes={model.nodes.length} data-zoom={far ? 'far' : 'near'}>
      <FarZoom.Provider value={far}>
        <ReactFlow<FlowNode, Edge>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          onNodesChange={handleNodesChange}
          onNodeClick={(_, node) => selectNode(node.id)}
          onPaneClick={() => selectNode(null)}
          nodesConnectable={false}
          edgesFocusable={false}
          elevateEdgesOnSelect={false}
          minZoom={0.05}
          maxZoom={2.5}
          proOptions={PRO_OPTIONS}
          deleteKeyCode={null}
          colorMode="dark"
          onlyRenderVisibleElements={false}
        >
          <Background variant={BackgroundVariant.Dots} gap={24} size={1} color="#2a3140" />
          <Controls showInteractive={false} position="bottom-right" />
          <MiniMap
            pannable
            zoomable
            position="top-right"
            nodeColor={(n: FlowNode) => (n.type === 'card' ? n.data.model.color : n.type === 'box' ? '#5b6478' : 'transparent')}
            nodeStrokeColor={(n: FlowNode) => (n.type === 'frame' ? '#5b6478' : 'transparent')}
            maskColor="rgba(10, 12, 16, 0.7)"
            style={{ width: 150, height: 96 }}
            ariaLabel="Graph overview"
          />
        </ReactFlow>
      </FarZoom.Provider>
      {phase === 'layout' || phase === 'placed' ? <div className="graph-overlay">Laying out {model.nodes.length} nodes…</div> : null}
      {phase === 'error' ? <div className="graph-overlay error">Layout failed: {layoutError}</div> : null}
      <div className="graph-toolbar">
        <NodeSearch detail={detail} />
        {detail.groups.length > 0 ? (
          <>
            <button type="button" onClick={expandAll} data-testid="expand-all" title="Expand every sub-graph instance">
              Expand all
            </button>
            <button type="button" onClick={collapseAll} data-testid="collapse-all" title="Collapse every sub-graph instance into one box">
              Collapse all
            </button>
          </>
        ) : null}
        <button type="button" onClick={fitGraph} title="Fit the whole graph in view">
          Fit
        </button>
        <span className="graph-count" title="nodes in the compiled pipeline · sub-graph instances">
          {detail.nodes.length} nodes{detail.groups.length > 0 ? ` · ${detail.groups.length} instances` : ''}
        </span>
      </div>
      <BarBanner />
      <Legend />
    </div>
  );
}

export function GraphView({ detail }: { detail: PipelineDetail }) {
  return (
    <ReactFlowProvider>
      <GraphCanvas key={detail.name} detail={detail} />
    </ReactFlowProvider>
  );
}
