import { useSyncExternalStore } from 'react';
import { ApiError, api, type NodeTypeInfo, type PipelineDetail, type PipelineSummary, type RunStatus } from '../api/client.ts';
import { live } from '../api/stream.ts';
import { defaultCollapsed, instancesToExpand } from '../graph/model.ts';
import { blockedGates } from '../inspector/gates.ts';
import { followRun } from './live.ts';
import { pickRun } from './runs.ts';

/**
 * Global UI state: which pipeline, which run, what is selected, which instances are collapsed.
 * Node values are not here (they live in `live`, read per card). A tiny store read with
 * useSyncExternalStore; components select primitives or stored references so they re-render only
 * when what they show changes.
 */

export type MainTab = 'graph' | 'yaml';
export type SideTab = 'node' | 'bar';
export type BottomTab = 'run' | 'compare' | 'sweep';

export interface BarSelection {
  index: number;
  time: number | null;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  values: Record<string, Record<string, unknown>> | null;
}

export interface AppState {
  pipelines: PipelineSummary[] | null;
  pipelinesError: string | null;
  nodeTypes: NodeTypeInfo[];
  nodeTypeMap: ReadonlyMap<string, NodeTypeInfo>;
  pipelineName: string | null;
  detail: PipelineDetail | null;
  detailError: string | null;
  runId: string | null;
  /** a node id, or `group:<instance>` */
  selected: string | null;
  mainTab: MainTab;
  sideTab: SideTab;
  bottomTab: BottomTab;
  bottomOpen: boolean;
  /** collapsed instance ids, per pipeline */
  collapsed: Readonly<Record<string, readonly string[]>>;
  bar: BarSelection | null;
  /** gates that blocked at the selected bar */
  barBlocked: ReadonlySet<string>;
  /** asks the graph to bring a node into view (the sequence number makes repeats count) */
  focus: { id: string; seq: number } | null;
  /** bumped to ask the graph to fit everything */
  fitSeq: number;
  notice: { text: string; kind: 'info' | 'error' } | null;
}

const EMPTY = new Set<string>();

let state: AppState = {
  pipelines: null,
  pipelinesError: null,
  nodeTypes: [],
  nodeTypeMap: new Map(),
  pipelineName: null,
  detail: null,
  detailError: null,
  runId: null,
  selected: null,
  mainTab: 'graph',
  sideTab: 'node',
  bottomTab: 'run',
  bottomOpen: true,
  collapsed: {},
  bar: null,
  barBlocked: EMPTY,
  focus: null,
  fitSeq: 0,
  notice: null,
};

const listeners = new Set<() => void>();

export function getState(): AppState {
  return state;
}

function set(patch: Partial<AppState>): void {
  const selected = state.selected;
  state = { ...state, ...patch };
  // the stream's '*' leaves out record outputs (breakdowns): ask for the inspected node whole
  if (state.selected !== selected) live.focus(state.selected === null ? [] : [state.selected]);
  for (const l of listeners) l();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useAppStore<T>(select: (s: AppState) => T): T {
  return useSyncExternalStore(subscribe, () => select(state));
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

// ---------------------------------------------------------------- pipelines

let openSeq = 0;

export async function init(): Promise<void> {
  const wanted = new URLSearchParams(location.search).get('pipeline') ?? 'enygma';
  live.on(autoFollow);
  // the list and the pipeline load together; the list only matters when the wanted one is missing
  const opening = openPipeline(wanted);
  const [list] = await Promise.all([refreshPipelines(), opening]);
  // node types (help, param schemas) are for the inspector and the YAML editor: after the graph's data
  void api
    .nodes()
    .then((types) => set({ nodeTypes: types, nodeTypeMap: new Map(types.map((t) => [t.type, t])) }))
    .catch((error) => notify(`Could not load node types: ${message(error)}`, 'error'));
  if (state.detail === null && list !== null && list.length > 0 && !list.some((p) => p.name === wanted)) {
    const fallback = list.find((p) => p.name === 'enygma') ?? list.find((p) => p.kind === 'canonical') ?? list[0]!;
    await openPipeline(fallback.name);
  }
}

export async function refreshPipelines(): Promise<PipelineSummary[] | null> {
  try {
    const pipelines = await api.pipelines();
    set({ pipelines, pipelinesError: null });
    return pipelines;
  } catch (error) {
    set({ pipelinesError: message(error) });
    return null;
  }
}

export async function openPipeline(name: string): Promise<void> {
  const seq = ++openSeq;
  set({ pipelineName: name, detail: null, detailError: null, selected: null, bar: null, barBlocked: EMPTY, focus: null });
  const url = new URL(location.href);
  url.searchParams.set('pipeline', name);
  history.replaceState(null, '', url.pathname + url.search);
  try {
    const [detail, runs] = await Promise.all([api.pipeline(name), api.runs().catch(() => Object.values(live.state.runs))]);
    if (seq !== openSeq) return;
    const collapsed = state.collapsed[name] ?? defaultCollapsed(detail);
    if (typeof window !== 'undefined') window.__barflow = { ...window.__barflow, detailMs: performance.now() };
    set({ detail, collapsed: { ...state.collapsed, [name]: collapsed }, fitSeq: state.fitSeq + 1 });
    setRun(pickRun(runs, name, detail.hash));
  } catch (error) {
    if (seq !== openSeq) return;
    set({ detailError: message(error) });
    setRun(null);
  }
}

/** After a save (YAML or params): the new graph; the run keeps streaming by node id. */
export function setDetail(detail: PipelineDetail): void {
  if (detail.name !== state.pipelineName) return;
  set({ detail });
  void refreshPipelines();
}

export async function forkPipeline(name: string): Promise<void> {
  const source = state.pipelineName;
  if (source === null) throw new Error('no pipeline is open');
  const fork = await api.fork(source, name);
  await refreshPipelines();
  notify(`Forked ${source} to ${fork.name}: it is editable.`, 'info');
  await openPipeline(fork.name);
}

// ---------------------------------------------------------------- runs

export function setRun(run: RunStatus | null): void {
  set({ runId: run?.id ?? null, bar: null, barBlocked: EMPTY });
  followRun(run);
}

/** A run of the open pipeline started elsewhere (the CLI's --replay, another tab): follow it if none is shown. */
function autoFollow(): void {
  if (state.runId !== null || state.detail === null) return;
  const run = pickRun(Object.values(live.state.runs), state.detail.name, state.detail.hash);
  if (run !== null && (run.state === 'running' || run.state === 'paused')) setRun(run);
}

// ---------------------------------------------------------------- selection

export function selectNode(id: string | null): void {
  if (id === state.selected) return;
  set({ selected: id, sideTab: id === null ? state.sideTab : 'node' });
}

/** Selects a node and brings it into view, expanding the instances around it. */
export function focusNode(id: string): void {
  const detail = state.detail;
  if (detail !== null) {
    const needed = instancesToExpand(detail, id);
    const current = state.collapsed[detail.name] ?? [];
    if (needed.some((g) => current.includes(g))) set({ collapsed: { ...state.collapsed, [detail.name]: current.filter((g) => !needed.includes(g)) } });
  }
  set({ selected: id, sideTab: 'node', mainTab: 'graph', focus: { id, seq: (state.focus?.seq ?? 0) + 1 } });
}

let barSeq = 0;

/** A bar picked on the run chart (or stepped to): every node's value at that bar. */
export async function selectBar(index: number, time: number | null = null): Promise<void> {
  const runId = state.runId;
  if (runId === null || !Number.isInteger(index) || index < 0) return;
  const seq = ++barSeq;
  set({ bar: { index, time, status: 'loading', error: null, values: state.bar?.values ?? null }, sideTab: 'bar' });
  try {
    const result = await api.barValues(runId, index);
    if (seq !== barSeq || state.runId !== runId) return;
    const blocked = state.detail === null ? [] : blockedGates(state.detail.nodes, result.values);
    set({ bar: { index: result.index, time: result.time, status: 'ready', error: null, values: result.values }, barBlocked: new Set(blocked) });
  } catch (error) {
    if (seq !== barSeq) return;
    const text = error instanceof ApiError ? error.message : message(error);
    set({ bar: { index, time, status: 'error', error: text, values: null }, barBlocked: EMPTY });
  }
}

export function clearBar(): void {
  barSeq++;
  set({ bar: null, barBlocked: EMPTY, sideTab: 'node' });
}

// ---------------------------------------------------------------- instances

function setCollapsed(ids: readonly string[]): void {
  const name = state.pipelineName;
  if (name === null) return;
  set({ collapsed: { ...state.collapsed, [name]: ids } });
}

export function toggleInstance(id: string): void {
  const current = state.pipelineName === null ? [] : (state.collapsed[state.pipelineName] ?? []);
  setCollapsed(current.includes(id) ? current.filter((g) => g !== id) : [...current, id]);
  set({ focus: { id: `group:${id}`, seq: (state.focus?.seq ?? 0) + 1 } });
}

export function expandAll(): void {
  setCollapsed([]);
  set({ fitSeq: state.fitSeq + 1 });
}

export function collapseAll(): void {
  setCollapsed(state.detail?.groups.filter((g) => g.parent === null).map((g) => g.id) ?? []);
  set({ fitSeq: state.fitSeq + 1 });
}

// ---------------------------------------------------------------- layout

export const setMainTab = (mainTab: MainTab): void => set({ mainTab });
export const setSideTab = (sideTab: SideTab): void => set({ sideTab });
export const setBottomTab = (bottomTab: BottomTab): void => set({ bottomTab, bottomOpen: true });
export const toggleBottom = (): void => set({ bottomOpen: !state.bottomOpen });
export const fitGraph = (): void => set({ fitSeq: state.fitSeq + 1 });

let noticeTimer: ReturnType<typeof setTimeout> | null = null;

export function notify(text: string, kind: 'info' | 'error' = 'info'): void {
  set({ notice: { text, kind } });
  if (noticeTimer !== null) clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => set({ notice: null }), kind === 'error' ? 8000 : 4000);
}

export const dismissNotice = (): void => set({ notice: null });
