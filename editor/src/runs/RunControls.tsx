import { useEffect, useState, useSyncExternalStore, type JSX } from 'react';
import { api, ApiError, type PipelineDetail, type Problem, type RunControl, type RunStatus } from '../api/client.ts';
import { live } from '../api/stream.ts';
import { formatMoney } from './summary.ts';
import { dataRefOf, feedDataFile, isActive, parseSpeed, progressOf, STEP_30M_BARS, type DataSet } from './run-state.ts';
import { DataSetSelect } from './DataSetSelect.tsx';
import './RunControls.css';

export interface RunControlsProps {
  pipeline: PipelineDetail | null;
  runId: string | null;
  onRunStarted(run: RunStatus): void;
}

const DEFAULT_SPEED = '200';

function subscribeLive(listener: () => void): () => void {
  const off = live.on(listener);
  return () => {
    off();
  };
}

interface ShownError {
  message: string;
  problems: Problem[];
  status: number | null;
}

function toShown(error: unknown): ShownError {
  if (error instanceof ApiError) return { message: error.message, problems: error.problems, status: error.status };
  return { message: error instanceof Error ? error.message : String(error), problems: [], status: null };
}

/** Start a backtest or a replay of the pipeline, drive the current run (pause, resume, step, stop, speed) and follow its progress. */
export function RunControls(props: RunControlsProps): JSX.Element {
  const { pipeline, runId, onRunStarted } = props;
  const [sets, setSets] = useState<DataSet[]>([]);
  const [dataChoice, setDataChoice] = useState('');
  const [speedText, setSpeedText] = useState(DEFAULT_SPEED);
  const [startPaused, setStartPaused] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [local, setLocal] = useState<RunStatus | null>(null);

  const liveStatus = useSyncExternalStore(subscribeLive, () => (runId === null ? null : (live.state.runs[runId] ?? null)));
  const connected = useSyncExternalStore(subscribeLive, () => live.state.connected);
  const localForRun = local !== null && local.id === runId ? local : null;
  const status = pickNewer(liveStatus, localForRun);

  useEffect(() => {
    let cancelled = false;
    api
      .data()
      .then((list) => {
        if (!cancelled) setSets(list);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(toShown(e));
      });
    return () => {
      cancelled = true;
    };
  }, []);

  // a run chosen elsewhere: learn its status once, then follow the stream
  useEffect(() => {
    if (runId === null || liveStatus !== null) return;
    let cancelled = false;
    api
      .runs()
      .then((runs) => {
        const r = runs.find((x) => x.id === runId);
        if (!cancelled && r !== undefined) setLocal(r);
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId]);

  // without the live stream, poll the run while it goes
  const going = isActive(status);
  useEffect(() => {
    if (runId === null || connected || !going) return;
    const timer = setInterval(() => {
      api
        .runs()
        .then((runs) => {
          const r = runs.find((x) => x.id === runId);
          if (r !== undefined) setLocal(r);
        })
        .catch(() => {});
    }, 1000);
    return () => clearInterval(timer);
  }, [runId, connected, going]);

  const ownFile = feedDataFile(pipeline);
  const speed = parseSpeed(speedText);

  const start = async (mode: 'backtest' | 'replay') => {
    if (pipeline === null) return;
    if (mode === 'replay' && speed === null) {
      setError({ message: 'The replay speed is bars per second: a number from 0 (as fast as possible) to 1,000,000.', problems: [], status: null });
      return;
    }
    setBusy(mode);
    setError(null);
    try {
      const run = await api.startRun({ pipeline: pipeline.name, mode, speed: mode === 'replay' ? (speed ?? 0) : 0, data: dataRefOf(dataChoice), paused: mode === 'replay' && startPaused });
      setLocal(run);
      onRunStarted(run);
    } catch (e) {
      setError(toShown(e));
    } finally {
      setBusy(null);
    }
  };

  const control = async (c: RunControl, label: string) => {
    if (runId === null) return;
    setBusy(label);
    setError(null);
    try {
      setLocal(await api.control(runId, c));
    } catch (e) {
      setError(toShown(e));
    } finally {
      setBusy(null);
    }
  };

  const applySpeed = () => {
    if (speed === null || status === null || status.mode !== 'replay' || !isActive(status) || speed === status.speed) return;
    void control({ action: 'speed', speed }, 'speed');
  };

  const state = status?.state ?? null;
  const canControl = runId !== null && (state === 'running' || state === 'paused');
  const progress = progressOf(status);
  const noPipeline = pipeline === null;

  return (
    <div className="rctl" data-testid="run-controls">
      <label className="rctl-field" title="The candles the run reads">
        <span className="rctl-label">Data</span>
        <DataSetSelect testId="run-data" value={dataChoice} onChange={setDataChoice} sets={sets} ownLabel="own data" ownTitle={ownFile ?? undefined} disabled={busy !== null} />
      </label>
      <button type="button" className="rctl-btn rctl-primary" data-testid="run-backtest" disabled={noPipeline || busy !== null} onClick={() => void start('backtest')} title={noPipeline ? 'Open a pipeline first' : `Backtest ${pipeline.name} as fast as it goes`}>
        {busy === 'backtest' ? 'Starting…' : 'Backtest'}
      </button>
      <button type="button" className="rctl-btn rctl-primary" data-testid="run-replay" disabled={noPipeline || busy !== null} onClick={() => void start('replay')} title={noPipeline ? 'Open a pipeline first' : `Replay ${pipeline.name} bar by bar at the speed given`}>
        {busy === 'replay' ? 'Starting…' : 'Replay'}
      </button>
      <label className="rctl-field" title="Replay speed in base bars per second; 0 = as fast as possible. During a replay, Enter (or leaving the field) changes its speed.">
        <input
          data-testid="replay-speed"
          className={`rctl-speed ${speed === null ? 'rctl-invalid' : ''}`}
          type="number"
          min={0}
          max={1_000_000}
          step="any"
          value={speedText}
          aria-label="Replay speed, bars per second (0 = as fast as possible)"
          aria-invalid={speed === null}
          onChange={(e) => setSpeedText(e.target.value)}
          onBlur={applySpeed}
          onKeyDown={(e) => {
            if (e.key === 'Enter') applySpeed();
          }}
        />
        <span className="rctl-label">bars/s</span>
      </label>
      <label className="rctl-check" title="Start the replay paused, to step through it">
        <input type="checkbox" data-testid="replay-paused" checked={startPaused} onChange={(e) => setStartPaused(e.target.checked)} />
        paused
      </label>
      <span className="rctl-sep" />
      <button type="button" className="rctl-btn" data-testid="run-pause" disabled={state !== 'running' || busy !== null} onClick={() => void control({ action: 'pause' }, 'pause')} title="Pause the run">
        Pause
      </button>
      <button type="button" className="rctl-btn" data-testid="run-resume" disabled={state !== 'paused' || busy !== null} onClick={() => void control({ action: 'resume' }, 'resume')} title="Resume the run">
        Resume
      </button>
      <button type="button" className="rctl-btn" data-testid="run-step" disabled={!canControl || busy !== null} onClick={() => void control({ action: 'step', bars: 1 }, 'step')} title="Commit one base bar (pauses the run)">
        Step
      </button>
      <button type="button" className="rctl-btn" data-testid="run-step-30m" disabled={!canControl || busy !== null} onClick={() => void control({ action: 'step', bars: STEP_30M_BARS }, 'step30')} title={`Commit ${STEP_30M_BARS} base bars: 30 minutes of 5m data (pauses the run)`}>
        Step 30m
      </button>
      <button type="button" className="rctl-btn rctl-danger" data-testid="run-stop" disabled={!canControl || busy !== null} onClick={() => void control({ action: 'stop' }, 'stop')} title="Stop the run (its results stay)">
        Stop
      </button>
      <span className="rctl-sep" />
      <div className="rctl-progress" data-testid="run-progress" data-state={state ?? 'none'} title={status === null ? "no run" : `run ${status.id} · ${status.pipeline} · ${status.mode}${status.mode === 'replay' ? ` at ${status.speed === 0 ? 'full speed' : `${status.speed} bars/s`}` : ''} · ${status.dataFile} · ${progress.text}`}>
        <div className="rctl-bar" role="progressbar" aria-label="Run progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress.fraction * 100)}>
          <div className={`rctl-fill rctl-fill-${state ?? 'none'}`} style={{ transform: `scaleX(${Math.min(1, Math.max(0, progress.fraction)).toFixed(4)})` }} />
        </div>
        {status === null ? (
          <span className="rctl-muted">no run</span>
        ) : (
          <>
            <span className={`rctl-state rctl-state-${status.state}`} data-testid="run-state">
              {status.state}
            </span>
            <span className="rctl-num" data-testid="run-bars">
              {status.barsDone.toLocaleString('en-US')}/{status.barsTotal.toLocaleString('en-US')}
            </span>
            <span className="rctl-num">
              <b>{status.trades.toLocaleString('en-US')}</b> trades
            </span>
            <span className="rctl-num" title={status.equity === null ? 'no venue' : `equity ${status.equity} USDT`}>
              eq <b>{status.equity === null ? '—' : formatMoney(status.equity)}</b>
            </span>
          </>
        )}
      </div>
      {status?.error != null && (
        <span className="rctl-error" role="alert" title={status.error}>
          run failed: {status.error}
        </span>
      )}
      {error !== null && <ErrorChip error={error} onDismiss={() => setError(null)} />}
    </div>
  );
}

/** A server error, short in the bar; its problems open in a panel that is not clipped by the bar. */
function ErrorChip(props: { error: ShownError; onDismiss(): void }): JSX.Element {
  const { error, onDismiss } = props;
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState<{ left: number; top: number } | null>(null);
  // the message is often the problems joined: list only what it does not already say
  const extra = error.problems.map((p) => p.formatted || p.message).filter((t) => !error.message.includes(t));
  const full = [`${error.status !== null ? `${error.status}: ` : ''}${error.message}`, ...extra].join('\n');
  return (
    <span className="rctl-error" role="alert" data-testid="run-error">
      <button
        type="button"
        className="rctl-error-text"
        title={full}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setAt({ left: Math.max(8, Math.min(r.left, window.innerWidth - 520)), top: r.bottom + 4 });
          setOpen((o) => !o);
        }}
      >
        {error.status !== null ? `${error.status}: ` : ''}
        {error.message}
      </button>
      <button type="button" className="rctl-x" aria-label="Dismiss the error" onClick={onDismiss}>
        ✕
      </button>
      {open && at !== null && (
        <div className="rctl-error-panel" style={{ left: at.left, top: at.top }} data-testid="run-error-details">
          <div>{error.message}</div>
          {extra.length > 0 && (
            <ul>
              {extra.map((t, k) => (
                <li key={k}>{t}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </span>
  );
}

/** The status with more bars behind it (the stream and a control's answer can arrive in either order); a final state wins a tie. */
function pickNewer(a: RunStatus | null, b: RunStatus | null): RunStatus | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.barsDone !== b.barsDone) return a.barsDone > b.barsDone ? a : b;
  const rank = (s: RunStatus) => (s.state === 'running' ? 0 : s.state === 'paused' ? 1 : 2);
  return rank(b) > rank(a) ? b : a;
}
