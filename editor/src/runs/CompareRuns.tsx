import { useEffect, useLayoutEffect, useRef, useState, type JSX } from 'react';
import { ColorType, createChart, CrosshairMode, LineSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { api, ApiError, type DataRef, type PipelineDetail, type PipelineSummary, type RunResults, type RunStatus } from '../api/client.ts';
import { live } from '../api/stream.ts';
import { EXIT_COLOURS, EXIT_LABELS } from '../charts/trade-marks.ts';
import { dataFileOf, embeddedNameFor, feedDataFile, isFinished, progressOf, reusableRun, type DataSet } from './run-state.ts';
import { compareExitCounts, diffSummaries, formatUtc } from './summary.ts';
import { DataSetSelect } from './DataSetSelect.tsx';
import './CompareRuns.css';

export interface CompareRunsProps {
  pipeline: PipelineDetail | null;
}

type Curve = { time: number[]; equity: number[]; drawdownPct: number[] };

interface Side {
  name: string;
  run: RunStatus | null;
  reused: boolean;
  results: RunResults | null;
  equity: Curve | null;
}

type Phase = 'idle' | 'starting' | 'waiting' | 'loading' | 'done' | 'error';

const COLOURS = ['#90a4ae', '#ffa726'] as const;
const POLL_MS = 500;

function message(error: unknown): string {
  if (error instanceof ApiError) return [error.message, ...error.problems.map((p) => p.formatted || p.message)].filter((t, k, all) => all.indexOf(t) === k).join('\n');
  return error instanceof Error ? error.message : String(error);
}

/**
 * A fork against the pipeline it was forked from (or any two pipelines), backtested on the same
 * data: finished backtests of the same pipeline version and data are reused, others are started.
 * Shows both summaries side by side with better / worse marked, both equity curves, and the trades
 * by exit reason.
 */
export function CompareRuns(props: CompareRunsProps): JSX.Element {
  const { pipeline } = props;
  const [summaries, setSummaries] = useState<PipelineSummary[]>([]);
  const [sets, setSets] = useState<DataSet[]>([]);
  const [pickA, setPickA] = useState('');
  const [pickB, setPickB] = useState('');
  const [dataChoice, setDataChoice] = useState('');
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const [sides, setSides] = useState<[Side, Side] | null>(null);
  const generation = useRef(0);

  useEffect(() => {
    let cancelled = false;
    Promise.all([api.pipelines(), api.data()])
      .then(([list, data]) => {
        if (cancelled) return;
        setSummaries(list);
        setSets(data);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(message(e));
      });
    return () => {
      cancelled = true;
    };
  }, [pipeline?.name]);

  const canonical = summaries.find((s) => s.kind === 'canonical')?.name ?? null;
  const isFork = pipeline !== null && pipeline.kind === 'fork';
  const forkBase = isFork ? (pipeline.forkedFrom?.name ?? canonical) : null;

  // a new pipeline: start over, with sensible picks for two arbitrary pipelines
  useEffect(() => {
    generation.current++;
    setPhase('idle');
    setSides(null);
    setError(null);
    setWarning(null);
  }, [pipeline?.name]);

  useEffect(() => {
    if (summaries.length === 0) return;
    const a = canonical ?? summaries[0]!.name;
    const b = pipeline !== null && pipeline.name !== a ? pipeline.name : (summaries.find((s) => s.name !== a)?.name ?? a);
    setPickA((cur) => (cur !== '' && summaries.some((s) => s.name === cur) ? cur : a));
    setPickB((cur) => (cur !== '' && summaries.some((s) => s.name === cur) ? cur : b));
  }, [summaries, canonical, pipeline]);

  const names: [string, string] | null = isFork ? (forkBase === null ? null : [forkBase, pipeline.name]) : pickA !== '' && pickB !== '' ? [pickA, pickB] : null;

  const compare = async () => {
    if (names === null) return;
    if (names[0] === names[1]) {
      setError('Pick two different pipelines.');
      return;
    }
    const gen = ++generation.current;
    setPhase('starting');
    setError(null);
    setWarning(null);
    setSides(null);
    try {
      const [detA, detB, runs, dataSets] = await Promise.all([api.pipeline(names[0]), api.pipeline(names[1]), api.runs(), sets.length > 0 ? Promise.resolve(sets) : api.data()]);
      if (gen !== generation.current) return;
      // the same data for both: the baseline's own unless a set is chosen
      let refs: [DataRef | undefined, DataRef | undefined];
      let files: [string | null, string | null];
      if (dataChoice === '') {
        const ownA = feedDataFile(detA);
        const ownB = feedDataFile(detB);
        const nameA = embeddedNameFor(ownA, dataSets);
        if (ownA === ownB) {
          refs = [undefined, undefined];
          files = [ownA, ownB];
        } else if (nameA !== null) {
          refs = [undefined, { embedded: nameA }];
          files = [ownA, ownA];
        } else {
          refs = [undefined, undefined];
          files = [ownA, ownB];
          setWarning(`${detA.name} reads ${ownA ?? 'its own data'} and ${detB.name} reads ${ownB ?? 'its own data'}, and the first is not an embedded set: pick one data set to compare them on the same data.`);
        }
      } else {
        refs = [{ embedded: dataChoice }, { embedded: dataChoice }];
        const file = dataFileOf(dataChoice, null, dataSets);
        files = [file, file];
      }
      const details = [detA, detB] as const;
      const next: Side[] = [];
      for (const k of [0, 1] as const) {
        const det = details[k];
        const reuse = det.hash === null ? null : reusableRun(runs, { pipeline: det.name, hash: det.hash, dataFile: files[k] });
        const run = reuse ?? (await api.startRun({ pipeline: det.name, mode: 'backtest', data: refs[k] }));
        if (gen !== generation.current) return;
        next.push({ name: det.name, run, reused: reuse !== null, results: null, equity: null });
      }
      setSides([next[0]!, next[1]!]);
      setPhase('waiting');
    } catch (e) {
      if (gen !== generation.current) return;
      setError(message(e));
      setPhase('error');
    }
  };

  // wait for both backtests (the live stream and a poll), then load their results
  const runIds = sides === null ? null : `${sides[0].run?.id}|${sides[1].run?.id}`;
  useEffect(() => {
    if (phase !== 'waiting' || sides === null) return;
    const gen = generation.current;
    let stopped = false;
    const check = async () => {
      try {
        const runs = await api.runs();
        if (stopped || gen !== generation.current) return;
        const fresh = sides.map((s) => live.state.runs[s.run!.id] ?? runs.find((r) => r.id === s.run!.id) ?? null);
        const polled = sides.map((s) => runs.find((r) => r.id === s.run!.id) ?? null);
        const status = fresh.map((f, k) => (polled[k] !== null && f !== null && polled[k]!.barsDone > f.barsDone ? polled[k] : f));
        if (status.some((s) => s === null)) {
          setError('A run of this comparison was dropped by the server (it keeps the last 20): compare again.');
          setPhase('error');
          return;
        }
        setSides((cur) => (cur === null ? cur : [{ ...cur[0], run: status[0]! }, { ...cur[1], run: status[1]! }]));
        const bad = status.find((s) => s!.state === 'failed' || s!.state === 'stopped');
        if (bad !== undefined) {
          setError(`The backtest of ${bad!.pipeline} ${bad!.state}${bad!.error !== null ? `: ${bad!.error}` : ''}.`);
          setPhase('error');
          return;
        }
        if (status.every((s) => isFinished(s))) setPhase('loading');
      } catch (e) {
        if (!stopped) {
          setError(message(e));
          setPhase('error');
        }
      }
    };
    void check();
    const timer = setInterval(() => void check(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [phase, runIds]);

  useEffect(() => {
    if (phase !== 'loading' || sides === null) return;
    const gen = generation.current;
    Promise.all(sides.map((s) => Promise.all([api.results(s.run!.id), api.equity(s.run!.id, 2000)])))
      .then((loaded) => {
        if (gen !== generation.current) return;
        setSides((cur) => (cur === null ? cur : [{ ...cur[0], results: loaded[0]![0], equity: loaded[0]![1] }, { ...cur[1], results: loaded[1]![0], equity: loaded[1]![1] }]));
        const [ra, rb] = [loaded[0]![0], loaded[1]![0]];
        if (ra.status.dataFile !== rb.status.dataFile) setWarning(`The two runs read different data: ${ra.status.dataFile} and ${rb.status.dataFile}.`);
        setPhase('done');
      })
      .catch((e: unknown) => {
        if (gen !== generation.current) return;
        setError(message(e));
        setPhase('error');
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [phase, runIds]);

  const busy = phase === 'starting' || phase === 'waiting' || phase === 'loading';
  const a = sides?.[0] ?? null;
  const b = sides?.[1] ?? null;
  const diffs = phase === 'done' && a !== null && b !== null ? diffSummaries(a.results?.summary ?? null, b.results?.summary ?? null) : null;
  const exits = phase === 'done' && a !== null && b !== null ? compareExitCounts(a.results?.trades ?? [], b.results?.trades ?? []) : null;
  const labelA = names?.[0] ?? 'A';
  const labelB = names?.[1] ?? 'B';

  return (
    <div className="cmp" data-testid="compare-view">
      <div className="cmp-head">
        {pipeline === null ? (
          <p className="cmp-note">Open a pipeline to compare it.</p>
        ) : isFork ? (
          <p className="cmp-note">
            Fork <b>{pipeline.name}</b> against <b>{forkBase ?? '…'}</b>
            {pipeline.forkedFrom !== undefined ? ' (the pipeline it was forked from)' : ''}, both backtested on the same data. The saved versions run; save your edits first.
          </p>
        ) : (
          <p className="cmp-note" data-testid="compare-needs-fork">
            <b>{pipeline.name}</b> is not a fork. A comparison sets a fork's results against the pipeline it was forked from, on the same data: fork this pipeline and edit the fork, or pick any two pipelines here.
          </p>
        )}
        <div className="cmp-controls">
          {!isFork && (
            <>
              {(
                [
                  ['A', pickA, setPickA],
                  ['B', pickB, setPickB],
                ] as const
              ).map(([side, pick, setPick]) => (
                <label className="cmp-field" key={side}>
                  <span>{side}</span>
                  <select data-testid={`compare-pick-${side.toLowerCase()}`} value={pick} onChange={(e) => setPick(e.target.value)} disabled={busy}>
                    {summaries.map((s) => (
                      <option key={s.name} value={s.name}>
                        {s.name} ({s.kind})
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </>
          )}
          <label className="cmp-field" title="Both backtests read this data">
            <span>Data</span>
            <DataSetSelect testId="compare-data" value={dataChoice} onChange={setDataChoice} sets={sets} ownLabel={`${labelA}'s own`} disabled={busy} />
          </label>
          <button type="button" className="cmp-btn" data-testid="compare-start" disabled={names === null || busy} onClick={() => void compare()}>
            {busy ? 'Comparing…' : phase === 'done' ? 'Compare again' : 'Compare'}
          </button>
        </div>
      </div>
      {error !== null && (
        <div className="cmp-error" role="alert" data-testid="compare-error">
          {error}
        </div>
      )}
      {warning !== null && (
        <div className="cmp-warning" role="status">
          {warning}
        </div>
      )}
      {sides !== null && (
        <div className="cmp-runs">
          {sides.map((s, k) => {
            const p = progressOf(s.run);
            return (
              <div key={k} className="cmp-run" data-testid={`compare-run-${k === 0 ? 'a' : 'b'}`}>
                <i className="cmp-swatch" style={{ background: COLOURS[k] }} />
                <b>{s.name}</b>
                <span className="cmp-muted">{s.reused ? 'finished backtest reused' : 'backtest'}</span>
                <div className="cmp-bar">
                  <div className={`cmp-fill cmp-fill-${s.run?.state ?? 'none'}`} style={{ transform: `scaleX(${Math.min(1, Math.max(0, p.fraction)).toFixed(3)})` }} />
                </div>
                <span className="cmp-muted">
                  {s.run?.state} · {p.text}
                </span>
              </div>
            );
          })}
        </div>
      )}
      {phase === 'done' && a !== null && b !== null && diffs !== null && (
        <div className="cmp-body">
          <div className="cmp-col">
            <table className="cmp-table" data-testid="compare-summary">
              <thead>
                <tr>
                  <th>metric</th>
                  <th className="num">
                    <i className="cmp-swatch" style={{ background: COLOURS[0] }} />
                    {a.name}
                  </th>
                  <th className="num">
                    <i className="cmp-swatch" style={{ background: COLOURS[1] }} />
                    {b.name}
                  </th>
                  <th className="num">Δ (B − A)</th>
                </tr>
              </thead>
              <tbody>
                {diffs.map((d) => (
                  <tr key={d.def.key} data-testid={`compare-metric-${d.def.key}`} data-verdict={d.verdict ?? 'none'} title={d.def.help}>
                    <td>{d.def.label}</td>
                    <td className="num" title={d.a.title}>
                      {d.a.text}
                    </td>
                    <td className={`num cmp-${d.verdict ?? 'none'}`} title={d.b.title}>
                      {d.b.text}
                    </td>
                    <td className={`num cmp-delta cmp-${d.verdict ?? 'none'}`}>
                      {d.deltaText}
                      {d.verdict === 'better' ? ' ▲' : d.verdict === 'worse' ? ' ▼' : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="cmp-muted cmp-small">
              {formatUtc(a.results?.status.lastTime ?? null)} · {a.results?.status.dataFile} · green: B better, red: B worse (drawdown compared in %).
            </p>
          </div>
          <div className="cmp-col">
            <div className="cmp-legend">
              <span>
                <i className="cmp-swatch" style={{ background: COLOURS[0] }} /> {a.name}
              </span>
              <span>
                <i className="cmp-swatch" style={{ background: COLOURS[1] }} /> {b.name}
              </span>
              <span className="cmp-muted">equity, USDT</span>
            </div>
            <EquityOverlay curves={[a.equity, b.equity]} />
            <table className="cmp-table" data-testid="compare-exits">
              <thead>
                <tr>
                  <th>trades by exit reason</th>
                  <th className="num">{a.name}</th>
                  <th className="num">{b.name}</th>
                </tr>
              </thead>
              <tbody>
                {exits!.map((row) => (
                  <tr key={row.cls} data-testid={`compare-exit-${row.cls}`}>
                    <td>
                      <i className="cmp-dot" style={{ background: EXIT_COLOURS[row.cls] }} />
                      {EXIT_LABELS[row.cls]}
                    </td>
                    <td className="num">{row.a}</td>
                    <td className="num">{row.b}</td>
                  </tr>
                ))}
                {exits!.length === 0 && (
                  <tr>
                    <td colSpan={3} className="cmp-muted">
                      no closed trade in either run
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {phase === 'idle' && sides === null && error === null && names !== null && (
        <p className="cmp-muted cmp-hint">
          {labelA} vs {labelB}: Compare reuses finished backtests of the same pipeline version and data, and starts the others.
        </p>
      )}
    </div>
  );
}

/** Both equity curves on one time axis. */
function EquityOverlay(props: { curves: [Curve | null, Curve | null] }): JSX.Element {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<{ chart: IChartApi; series: ISeriesApi<'Line'>[] } | null>(null);

  useLayoutEffect(() => {
    if (el.current === null) return;
    const style = getComputedStyle(el.current);
    const bg = style.getPropertyValue('--panel').trim() || '#151920';
    const text = style.getPropertyValue('--muted').trim() || '#949db0';
    const border = style.getPropertyValue('--border').trim() || '#2a303b';
    const c = createChart(el.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: bg }, textColor: text, fontSize: 11, attributionLogo: false },
      grid: { vertLines: { color: border }, horzLines: { color: border } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: border },
      timeScale: { borderColor: border, timeVisible: true, secondsVisible: false },
      localization: { dateFormat: 'yyyy-MM-dd' },
    });
    const series = COLOURS.map((color, k) => c.addSeries(LineSeries, { color, lineWidth: 2, priceLineVisible: false, title: k === 0 ? 'A' : 'B', priceFormat: { type: 'price', precision: 2, minMove: 0.01 } }));
    chart.current = { chart: c, series };
    return () => {
      chart.current = null;
      c.remove();
    };
  }, []);

  const [ca, cb] = props.curves;
  useEffect(() => {
    const c = chart.current;
    if (c === null) return;
    [ca, cb].forEach((curve, k) => {
      const data = curve === null ? [] : curve.time.map((t, i) => ({ time: (t / 1000) as UTCTimestamp, value: curve.equity[i]! }));
      c.series[k]!.setData(data);
    });
    c.chart.timeScale().fitContent();
  }, [ca, cb]);

  return <div className="cmp-chart" data-testid="compare-equity" ref={el} />;
}
