import { useEffect, useMemo, useRef, useState, type FormEvent, type JSX } from 'react';
import { MAX_SWEEP_SETS, PIPELINE_NAME_PATTERN, type SweepObjective } from '../../../engine/server/protocol/rest.ts';
import { api, ApiError, type NodeTypeInfo, type PipelineDetail, type SweepDetail } from '../api/client.ts';
import { notify, openPipeline, refreshPipelines, useAppStore } from '../app/store.ts';
import { buildParams, describeParam, parseDraft, rangePreview, setsToRun, suggestDraft, type ParamDraft, type ParamInfo } from './param-range.ts';
import { forkNameFor, formatMetric, progressText } from './results.ts';
import { SweepHeatmap } from './SweepHeatmap.tsx';
import { SweepTable } from './SweepTable.tsx';
import { DataSetSelect } from '../runs/DataSetSelect.tsx';
import type { DataSet } from '../runs/run-state.ts';
import './Sweeps.css';

export interface SweepPanelProps {
  pipeline: PipelineDetail | null;
}

type Method = 'grid' | 'random' | 'genetic';

interface FormState {
  drafts: ParamDraft[];
  method: Method;
  samples: string;
  population: string;
  generations: string;
  seed: string;
  objective: SweepObjective;
  maxDrawdown: string;
  data: string;
}

const OBJECTIVES: { id: SweepObjective; label: string; title: string }[] = [
  { id: 'netReturn', label: 'net return', title: 'return %, higher is better' },
  { id: 'sharpe', label: 'Sharpe', title: 'daily Sharpe ratio (−∞ under three days or flat equity)' },
  { id: 'profitFactor', label: 'profit factor', title: 'gross win ÷ gross loss (+∞ with wins and no losses, −∞ with no trades)' },
  { id: 'drawdownBoundedReturn', label: 'return, drawdown bounded', title: 'return %, or −∞ when the max drawdown is above the bound' },
];

const POLL_MS = 1000;

const fresh = (): FormState => ({ drafts: [], method: 'grid', samples: '100', population: '20', generations: '10', seed: '1', objective: 'netReturn', maxDrawdown: '20', data: '' });

/** The form of each pipeline, kept while the tab is closed or another pipeline is open. */
const memory = new Map<string, FormState>();
let nextKey = 1;

function message(error: unknown): string {
  if (error instanceof ApiError) return [error.message, ...error.problems.map((p) => p.formatted || p.message)].filter((t, k, all) => all.indexOf(t) === k && (k === 0 || !all[0]!.includes(t))).join('\n');
  return error instanceof Error ? error.message : String(error);
}

const int = (text: string): number | null => (/^\d+$/.test(text.trim()) ? Number(text) : null);

/**
 * The Sweep tab: define a sweep of the open fork (params from its nodes, with each param's current
 * value, default and bounds; method, objective, drawdown bound), run it on the server (progress
 * polled every second), then read its results as a sortable table and a heatmap of two params, and
 * open any row as a new fork.
 */
export function SweepPanel({ pipeline }: SweepPanelProps): JSX.Element {
  const name = pipeline?.name ?? null;
  const nodeTypeMap = useAppStore((s) => s.nodeTypeMap);
  const pipelines = useAppStore((s) => s.pipelines);
  const [form, setFormState] = useState<FormState>(() => (name !== null ? (memory.get(name) ?? fresh()) : fresh()));
  const [sets, setSets] = useState<DataSet[]>([]);
  const [sweep, setSweep] = useState<SweepDetail | null>(null);
  const [elsewhere, setElsewhere] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [forkName, setForkName] = useState<string | null>(null);
  const seq = useRef(0);

  const setForm = (patch: Partial<FormState>) =>
    setFormState((f) => {
      const next = { ...f, ...patch };
      if (name !== null) memory.set(name, next);
      return next;
    });

  // another pipeline: its own form, its latest sweep
  useEffect(() => {
    const gen = ++seq.current;
    setFormState(name !== null ? (memory.get(name) ?? fresh()) : fresh());
    setSweep(null);
    setSelected(null);
    setForkName(null);
    setError(null);
    setElsewhere(null);
    if (name === null) return;
    api
      .sweeps()
      .then(async (list) => {
        if (gen !== seq.current) return;
        const running = list.find((s) => s.state === 'running' && s.pipeline !== name);
        setElsewhere(running === undefined ? null : `A sweep of ${running.pipeline} is running on the server (${running.done}/${running.total} sets): one runs at a time.`);
        const mine = list.filter((s) => s.pipeline === name);
        const latest = mine[mine.length - 1];
        if (latest === undefined) return;
        const detail = await api.sweep(latest.id);
        if (gen !== seq.current) return;
        setSweep(detail);
        // a reload: the form as that sweep was defined
        if (!memory.has(name)) {
          const restored: FormState = {
            ...fresh(),
            method: detail.method,
            objective: detail.objective,
            maxDrawdown: String(detail.maxDrawdown),
            drafts: detail.params.map((p) => ({ key: nextKey++, node: p.node, param: p.param, mode: 'list', from: '', to: '', step: '', list: p.values.join(', ') })),
          };
          memory.set(name, restored);
          setFormState(restored);
        }
      })
      .catch((e: unknown) => {
        if (gen === seq.current) setError(message(e));
      });
  }, [name]);

  useEffect(() => {
    let cancelled = false;
    api
      .data()
      .then((list) => {
        if (!cancelled) setSets(list);
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, []);

  // follow a running sweep
  const running = sweep?.state === 'running';
  useEffect(() => {
    if (sweep === null || !running) return;
    const id = sweep.id;
    const gen = seq.current;
    const timer = setTimeout(() => {
      api
        .sweep(id)
        .then((d) => {
          if (gen === seq.current) setSweep(d);
        })
        .catch((e: unknown) => {
          if (gen === seq.current) setError(message(e));
        });
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [sweep, running]);

  const nodes = pipeline?.nodes ?? [];
  // a sweep runs every set on the one series it loads: the data feed's params are not sweepable (sweep.data-param)
  const sweepable = (n: (typeof nodes)[number]) => n.category !== 'feed' && (nodeTypeMap.get(n.type)?.params.length ?? 0) > 0;
  const nodeById = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  const typeOf = (nodeId: string): NodeTypeInfo | undefined => {
    const node = nodeById.get(nodeId);
    return node === undefined ? undefined : nodeTypeMap.get(node.type);
  };
  const infoOf = (d: ParamDraft): ParamInfo | undefined => typeOf(d.node)?.params.find((p) => p.name === d.param);
  const currentOf = (d: ParamDraft): unknown => (nodeById.get(d.node)?.params as Record<string, unknown> | null | undefined)?.[d.param];

  const built = buildParams(form.drafts, infoOf);
  const samples = int(form.samples);
  const population = int(form.population);
  const generations = int(form.generations);
  const seed = int(form.seed);
  const maxDrawdown = Number(form.maxDrawdown);
  const total = setsToRun(built.gridSize, form.method, samples ?? 0, population ?? 0, generations ?? 0);
  const isFork = pipeline !== null && pipeline.kind === 'fork';

  const problem = (() => {
    if (pipeline === null) return 'open a pipeline first';
    if (!isFork) return 'fork to sweep: canonical and example pipelines cannot be swept directly';
    if (pipeline.hash === null) return 'the pipeline has problems: fix them first';
    if (running) return 'a sweep is running';
    if (form.drafts.length === 0) return 'add a param to sweep';
    const bad = built.errors.findIndex((e) => e !== null);
    if (bad >= 0) return `${form.drafts[bad]!.node || 'param'}${form.drafts[bad]!.param ? `.${form.drafts[bad]!.param}` : ''}: ${built.errors[bad]}`;
    if (form.method === 'random' && (samples === null || samples < 1)) return 'samples must be a whole number from 1';
    if (form.method === 'genetic' && (population === null || population < 2)) return 'population must be a whole number from 2';
    if (form.method === 'genetic' && (generations === null || generations < 1)) return 'generations must be a whole number from 1';
    if (form.method !== 'grid' && seed === null) return 'the seed is a whole number';
    if (form.objective === 'drawdownBoundedReturn' && !(maxDrawdown > 0 && maxDrawdown <= 100)) return 'the max drawdown bound is a percentage above 0';
    if (total > MAX_SWEEP_SETS) return `${total.toLocaleString('en-US')} sets: at most ${MAX_SWEEP_SETS.toLocaleString('en-US')} (narrow the ranges, or search at random)`;
    return null;
  })();

  const addParam = () => {
    const swept = new Set(form.drafts.map((d) => `${d.node}.${d.param}`));
    // a first guess: a node with a numeric param not swept yet
    for (const node of nodes) {
      if (!sweepable(node)) continue;
      const type = nodeTypeMap.get(node.type);
      const info = type?.params.find((p) => (p.type === 'integer' || p.type === 'number') && !swept.has(`${node.id}.${p.name}`) && typeof (node.params as Record<string, unknown> | null)?.[p.name] === 'number');
      if (info !== undefined) {
        setForm({ drafts: [...form.drafts, suggestDraft(nextKey++, node.id, info, (node.params as Record<string, unknown>)[info.name])] });
        return;
      }
    }
    setForm({ drafts: [...form.drafts, { key: nextKey++, node: '', param: '', mode: 'range', from: '', to: '', step: '', list: '' }] });
  };

  const updateDraft = (key: number, patch: Partial<ParamDraft>) => setForm({ drafts: form.drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)) });

  const chooseNode = (draft: ParamDraft, nodeId: string) => {
    const type = typeOf(nodeId);
    const info = type?.params.find((p) => p.type === 'integer' || p.type === 'number') ?? type?.params[0];
    const current = (nodeById.get(nodeId)?.params as Record<string, unknown> | null | undefined)?.[info?.name ?? ''];
    setForm({ drafts: form.drafts.map((d) => (d.key === draft.key ? suggestDraft(d.key, nodeId, info, current) : d)) });
  };

  const chooseParam = (draft: ParamDraft, param: string) => {
    const info = typeOf(draft.node)?.params.find((p) => p.name === param);
    const current = (nodeById.get(draft.node)?.params as Record<string, unknown> | null | undefined)?.[param];
    setForm({ drafts: form.drafts.map((d) => (d.key === draft.key ? suggestDraft(d.key, draft.node, info, current) : d)) });
  };

  const start = async () => {
    if (pipeline === null || problem !== null) return;
    setBusy('start');
    setError(null);
    setSelected(null);
    setForkName(null);
    try {
      const status = await api.startSweep({
        pipeline: pipeline.name,
        params: built.params,
        method: form.method,
        objective: form.objective,
        ...(form.objective === 'drawdownBoundedReturn' ? { maxDrawdown } : {}),
        ...(form.method === 'grid' ? {} : { seed: seed ?? 1 }),
        ...(form.method === 'random' ? { samples: samples ?? 1 } : {}),
        ...(form.method === 'genetic' ? { population: population ?? 2, generations: generations ?? 1 } : {}),
        ...(form.data === '' ? {} : { data: { embedded: form.data } }),
      });
      setSweep({ ...status, rows: [] });
      setElsewhere(null);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };

  const stop = async () => {
    if (sweep === null) return;
    setBusy('stop');
    try {
      const status = await api.stopSweep(sweep.id);
      setSweep((s) => (s !== null && s.id === status.id ? { ...s, ...status } : s));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };

  const taken = new Set((pipelines ?? []).map((p) => p.name));
  const selectedRow = sweep?.rows.find((r) => r.rank === selected) ?? null;
  const stale = sweep !== null && pipeline !== null && pipeline.hash !== null && pipeline.hash !== sweep.pipelineHash;
  const forkValid = forkName !== null && PIPELINE_NAME_PATTERN.test(forkName) && !taken.has(forkName);

  const openFork = async (event: FormEvent) => {
    event.preventDefault();
    if (sweep === null || selectedRow === null || forkName === null || !forkValid) return;
    setBusy('fork');
    setError(null);
    try {
      const created = await api.forkSweepRow(sweep.id, selectedRow.rank, forkName);
      await refreshPipelines();
      notify(`Opened row ${selectedRow.rank} of the sweep as ${created.name}: ${sweep.params.map((p, i) => `${p.name}=${selectedRow.values[i]}`).join(', ')}.`, 'info');
      setForkName(null);
      await openPipeline(created.name);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };

  const progress = sweep === null ? null : progressText(sweep.done, sweep.total);

  return (
    <div className="swp" data-testid="sweep-panel">
      <form
        className="swp-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <div className="swp-head">
          <b>Sweep {pipeline?.name ?? ''}</b>
          <span className="swp-muted">{form.drafts.length === 0 ? '' : `${built.gridSize.toLocaleString('en-US')} in the grid · ${total.toLocaleString('en-US')} to run`}</span>
        </div>
        <div className="swp-params">
          {form.drafts.map((d, k) => {
            const type = typeOf(d.node);
            const info = infoOf(d);
            const parsed = parseDraft(d, info);
            const err = built.errors[k];
            return (
              <div className="swp-param" key={d.key} data-testid={`sweep-param-${k}`}>
                <div className="swp-param-line">
                  <select aria-label="Node" data-testid={`sweep-param-node-${k}`} value={d.node} onChange={(e) => chooseNode(d, e.target.value)} disabled={!isFork}>
                    <option value="">node…</option>
                    {nodes.map((n) => (
                      <option key={n.id} value={n.id} disabled={!sweepable(n)} title={n.category === 'feed' ? 'the data: a sweep runs every set on one series (pick it under data)' : undefined}>
                        {n.id} ({n.type})
                      </option>
                    ))}
                  </select>
                  <select aria-label="Param" data-testid={`sweep-param-name-${k}`} value={d.param} onChange={(e) => chooseParam(d, e.target.value)} disabled={!isFork || type === undefined}>
                    <option value="">param…</option>
                    {(type?.params ?? []).map((p) => (
                      <option key={p.name} value={p.name}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                  <select aria-label="Values as" data-testid={`sweep-param-mode-${k}`} value={d.mode} onChange={(e) => updateDraft(d.key, { mode: e.target.value as ParamDraft['mode'] })} disabled={!isFork}>
                    <option value="range">range</option>
                    <option value="list">list</option>
                  </select>
                  <button type="button" className="icon-button" aria-label={`Remove ${d.node}.${d.param}`} title="Remove" onClick={() => setForm({ drafts: form.drafts.filter((x) => x.key !== d.key) })}>
                    ✕
                  </button>
                </div>
                <div className="swp-param-line">
                  {d.mode === 'range' ? (
                    <>
                      <label className="swp-field">
                        <span>from</span>
                        <input className="swp-num" data-testid={`sweep-param-from-${k}`} value={d.from} onChange={(e) => updateDraft(d.key, { from: e.target.value })} aria-invalid={err !== null && err !== undefined} disabled={!isFork} />
                      </label>
                      <label className="swp-field">
                        <span>to</span>
                        <input className="swp-num" data-testid={`sweep-param-to-${k}`} value={d.to} onChange={(e) => updateDraft(d.key, { to: e.target.value })} aria-invalid={err !== null && err !== undefined} disabled={!isFork} />
                      </label>
                      <label className="swp-field">
                        <span>step</span>
                        <input className="swp-num" data-testid={`sweep-param-step-${k}`} value={d.step} onChange={(e) => updateDraft(d.key, { step: e.target.value })} aria-invalid={err !== null && err !== undefined} disabled={!isFork} />
                      </label>
                    </>
                  ) : (
                    <input className="swp-list" data-testid={`sweep-param-list-${k}`} value={d.list} placeholder="v1, v2, … (read as YAML)" onChange={(e) => updateDraft(d.key, { list: e.target.value })} aria-invalid={err !== null && err !== undefined} disabled={!isFork} />
                  )}
                </div>
                <div className={`swp-hint${err ? ' error-text' : ''}`}>
                  {err ?? (parsed.ok ? `${parsed.count} value${parsed.count === 1 ? '' : 's'}${d.mode === 'range' ? `: ${rangePreview(d.from, d.to, d.step).join(', ')}${parsed.count > 6 ? ', …' : ''}` : ''}` : '')}
                  {info !== undefined ? <span className="swp-muted"> · {describeParam(info, currentOf(d))}</span> : null}
                </div>
              </div>
            );
          })}
          <button type="button" data-testid="sweep-param-add" onClick={addParam} disabled={!isFork || nodes.length === 0}>
            + Add param
          </button>
        </div>
        <div className="swp-settings">
          <label className="swp-field">
            <span>method</span>
            <select data-testid="sweep-method" value={form.method} onChange={(e) => setForm({ method: e.target.value as Method })}>
              <option value="grid">grid (every set)</option>
              <option value="random">random</option>
              <option value="genetic">genetic</option>
            </select>
          </label>
          {form.method === 'random' ? (
            <label className="swp-field" title="distinct sets drawn from the grid">
              <span>samples</span>
              <input className="swp-num" data-testid="sweep-samples" value={form.samples} onChange={(e) => setForm({ samples: e.target.value })} />
            </label>
          ) : null}
          {form.method === 'genetic' ? (
            <>
              <label className="swp-field">
                <span>population</span>
                <input className="swp-num" data-testid="sweep-population" value={form.population} onChange={(e) => setForm({ population: e.target.value })} />
              </label>
              <label className="swp-field">
                <span>generations</span>
                <input className="swp-num" data-testid="sweep-generations" value={form.generations} onChange={(e) => setForm({ generations: e.target.value })} />
              </label>
            </>
          ) : null}
          {form.method !== 'grid' ? (
            <label className="swp-field" title="the same seed draws the same sets">
              <span>seed</span>
              <input className="swp-num" data-testid="sweep-seed" value={form.seed} onChange={(e) => setForm({ seed: e.target.value })} />
            </label>
          ) : null}
        </div>
        <div className="swp-settings">
          <label className="swp-field" title={OBJECTIVES.find((o) => o.id === form.objective)?.title}>
            <span>objective</span>
            <select data-testid="sweep-objective" value={form.objective} onChange={(e) => setForm({ objective: e.target.value as SweepObjective })}>
              {OBJECTIVES.map((o) => (
                <option key={o.id} value={o.id} title={o.title}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label className="swp-field" title="drawdown-bounded return: a set whose max drawdown is above this (%) scores −∞">
            <span>max DD %</span>
            <input className="swp-num" data-testid="sweep-max-drawdown" value={form.maxDrawdown} onChange={(e) => setForm({ maxDrawdown: e.target.value })} disabled={form.objective !== 'drawdownBoundedReturn'} />
          </label>
          <label className="swp-field" title="the candles every set runs on">
            <span>data</span>
            <DataSetSelect testId="sweep-data" value={form.data} onChange={(data) => setForm({ data })} sets={sets} ownLabel="own data" />
          </label>
        </div>
        <div className="swp-actions">
          <button type="submit" className="primary" data-testid="sweep-start" disabled={problem !== null || busy !== null} title={problem ?? `Sweep ${total} parameter sets of ${pipeline?.name}`}>
            {busy === 'start' ? 'Starting…' : 'Start sweep'}
          </button>
          <button type="button" data-testid="sweep-stop" disabled={!running || busy !== null} onClick={() => void stop()}>
            Stop
          </button>
          {problem !== null && !running ? (
            <span className={`swp-why${isFork ? '' : ' swp-fork-first'}`} data-testid="sweep-why">
              {problem}
            </span>
          ) : null}
        </div>
        {elsewhere !== null ? <div className="swp-note">{elsewhere}</div> : null}
        {error !== null ? (
          <div className="swp-error" role="alert" data-testid="sweep-error">
            {error}
          </div>
        ) : null}
      </form>

      <div className="swp-results">
        {sweep === null || progress === null ? (
          <p className="swp-muted swp-empty">{isFork ? 'No sweep of this fork yet: choose params and start one. Results show here as a ranked table and a heatmap.' : 'Sweeps run on forks: fork this pipeline (Fork in the header), then sweep the fork.'}</p>
        ) : (
          <>
            <div className="swp-status">
              <div className="swp-progress" data-testid="sweep-progress" data-state={sweep.state}>
                <div className="swp-bar" role="progressbar" aria-label="Sweep progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress.fraction * 100)}>
                  <div className={`swp-fill swp-fill-${sweep.state}`} style={{ transform: `scaleX(${Math.min(1, Math.max(0, progress.fraction)).toFixed(3)})` }} />
                </div>
                <span className={`swp-state swp-state-${sweep.state}`}>{sweep.state}</span>
                <span className="swp-muted">{progress.text}</span>
              </div>
              <span className="swp-muted swp-meta">
                {sweep.method} · {sweep.objective}
                {sweep.objective === 'drawdownBoundedReturn' ? ` ≤ ${sweep.maxDrawdown}%` : ''} · {sweep.params.map((p) => `${p.name} (${p.values.length})`).join(' × ')} · {sweep.dataFile}
                {sweep.workers > 0 ? ` · ${sweep.workers} worker${sweep.workers === 1 ? '' : 's'}` : ''}
                {sweep.finished !== null ? ` · ${((sweep.finished - sweep.started) / 1000).toFixed(1)} s` : ''}
              </span>
            </div>
            {sweep.error !== null ? (
              <div className="swp-error" role="alert">
                Sweep failed: {sweep.error}
              </div>
            ) : null}
            {stale ? <div className="swp-note">{pipeline?.name} has changed since this sweep: its rows no longer describe it, so they cannot be opened as forks. Sweep it again.</div> : null}
            {sweep.state === 'done' && sweep.rows.length > 0 ? (
              <>
                <div className="swp-pick" data-testid="sweep-selection">
                  {selectedRow === null ? (
                    <span className="swp-muted">Click a row (or a heatmap cell, for its best row) to open its values as a new fork.</span>
                  ) : (
                    <>
                      <span>
                        Row <b>#{selectedRow.rank}</b>: {sweep.params.map((p, i) => `${p.name}=${selectedRow.values[i]}`).join(', ')} · net PnL <b className={Number(selectedRow.metrics.netPnl) >= 0 ? 'pos' : 'neg'}>{formatMetric(Number(selectedRow.metrics.netPnl), 2)}</b>
                      </span>
                      {forkName === null ? (
                        <button type="button" className="primary" data-testid="sweep-open-fork" disabled={stale || busy !== null} title={stale ? 'the pipeline changed since the sweep' : 'a new fork of this pipeline with these values written into its YAML'} onClick={() => setForkName(forkNameFor(sweep.pipeline, selectedRow.rank, taken))}>
                          Open as new fork
                        </button>
                      ) : (
                        <form className="swp-fork" onSubmit={(e) => void openFork(e)}>
                          <label className="swp-field">
                            <span>name</span>
                            <input data-testid="sweep-fork-name" value={forkName} onChange={(e) => setForkName(e.target.value.toLowerCase())} aria-invalid={!forkValid} maxLength={64} spellCheck={false} autoFocus />
                          </label>
                          <button type="submit" className="primary" data-testid="sweep-fork-confirm" disabled={!forkValid || busy !== null}>
                            {busy === 'fork' ? 'Forking…' : 'Fork and open'}
                          </button>
                          <button type="button" onClick={() => setForkName(null)}>
                            Cancel
                          </button>
                          {!forkValid ? <span className="error-text small">{taken.has(forkName) ? `"${forkName}" exists` : 'lowercase letters, digits, "-" or "_"'}</span> : null}
                        </form>
                      )}
                    </>
                  )}
                </div>
                <div className="swp-views">
                  <SweepTable params={sweep.params} rows={sweep.rows} objective={sweep.objective} selectedRank={selected} onSelect={setSelected} />
                  <SweepHeatmap key={sweep.id} params={sweep.params} rows={sweep.rows} objective={sweep.objective} selectedRank={selected} onSelect={setSelected} />
                </div>
              </>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}
