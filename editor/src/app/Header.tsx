import { useState } from 'react';
import type { PipelineDetail, PipelineKind, PipelineSummary } from '../../../engine/server/protocol/rest.ts';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { formatTime } from './format.ts';
import { ForkDialog } from './ForkDialog.tsx';
import { useLiveRun } from './live.ts';
import { openPipeline, useAppStore } from './store.ts';

const KIND_LABEL: Record<PipelineKind, string> = { canonical: 'Canonical', example: 'Examples', fork: 'Forks' };

function PipelinePicker() {
  const pipelines = useAppStore((s) => s.pipelines);
  const name = useAppStore((s) => s.pipelineName);
  const error = useAppStore((s) => s.pipelinesError);
  const grouped = (['canonical', 'example', 'fork'] as const).map((kind) => [kind, (pipelines ?? []).filter((p) => p.kind === kind)] as const);
  const label = (p: PipelineSummary) => `${p.name}${p.locked ? ' (locked)' : ''}${p.problems.length > 0 ? ' ⚠' : ''}`;
  return (
    <label className="picker">
      <span className="visually-hidden">Pipeline</span>
      <select value={name ?? ''} onChange={(e) => void openPipeline(e.target.value)} data-testid="pipeline-picker" aria-label="Pipeline" title={error ?? 'Open a pipeline'}>
        {pipelines === null ? <option value={name ?? ''}>{error ? 'cannot list pipelines' : 'loading…'}</option> : null}
        {grouped.map(([kind, list]) =>
          list.length === 0 ? null : (
            <optgroup key={kind} label={KIND_LABEL[kind]}>
              {list.map((p) => (
                <option key={p.name} value={p.name} title={p.description}>
                  {label(p)}
                </option>
              ))}
            </optgroup>
          ),
        )}
      </select>
    </label>
  );
}

/** 🔒 as an icon that renders without an emoji font */
function LockIcon() {
  return (
    <svg className="lock-icon" width="12" height="13" viewBox="0 0 12 13" role="img" aria-label="🔒">
      <rect x="1" y="5.5" width="10" height="7" rx="1.5" fill="currentColor" />
      <path d="M3.2 5.5V4a2.8 2.8 0 0 1 5.6 0v1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

function StatusBadges({ detail }: { detail: PipelineDetail }) {
  const problems = detail.problems.length;
  return (
    <>
      {detail.locked ? (
        <span
          className={`badge lock ${detail.lock.ok ? 'ok' : 'bad'}`}
          data-testid="lock-badge"
          data-lock-ok={detail.lock.ok}
          title={detail.lock.ok ? `Locked: the graph matches its lock (hash ${detail.lock.lockHash?.slice(0, 16) ?? '—'}…). Fork it to change anything.` : `Lock problems:\n${detail.lock.problems.join('\n')}`}
        >
          <LockIcon /> locked — fork to edit <span className="lock-state">{detail.lock.ok ? '· lock ✓' : `· lock ✗ ${detail.lock.problems.length} problem${detail.lock.problems.length === 1 ? '' : 's'}`}</span>
        </span>
      ) : detail.kind === 'example' ? (
        <span className="badge example" title="Shipped examples are read-only: fork one to edit it">
          example · read-only
        </span>
      ) : (
        <span className="badge fork" title={detail.forkedFrom ? `forked from ${detail.forkedFrom.name} (${detail.forkedFrom.hash.slice(0, 12)}…)` : 'an editable pipeline'}>
          ✎ editable{detail.forkedFrom ? ` · fork of ${detail.forkedFrom.name}` : ''}
        </span>
      )}
      {problems > 0 ? (
        <span className="badge problems" title={detail.problems.map((p) => p.formatted).join('\n')}>
          ⚠ {problems} problem{problems === 1 ? '' : 's'}
        </span>
      ) : null}
    </>
  );
}

function RunChip() {
  const runId = useAppStore((s) => s.runId);
  const run = useLiveRun(runId);
  if (runId === null) return <span className="run-chip none">no run</span>;
  if (run === undefined) return <span className="run-chip">run {runId.slice(0, 6)}</span>;
  const pct = run.barsTotal > 0 ? Math.floor((run.barsDone / run.barsTotal) * 100) : 0;
  return (
    <span className={`run-chip ${run.state}`} title={`run ${run.id} · ${run.mode}${run.mode === 'replay' ? ` at ${run.speed} bars/s` : ''} · ${run.dataFile}\n${run.barsDone.toLocaleString('en-US')} / ${run.barsTotal.toLocaleString('en-US')} bars${run.lastTime !== null ? ` · at ${formatTime(run.lastTime)} UTC` : ''}${run.error ? `\nerror: ${run.error}` : ''}`}>
      <span className="run-state">{run.state}</span> {run.mode} · {pct}% · {run.trades} trades{run.equity !== null ? ` · equity ${Number(run.equity).toLocaleString('en-US', { maximumFractionDigits: 2 })}` : ''}
      <span className="run-progress" style={{ width: `${pct}%` }} aria-hidden="true" />
    </span>
  );
}

export function Header() {
  const detail = useAppStore((s) => s.detail);
  const name = useAppStore((s) => s.pipelineName);
  const [forking, setForking] = useState(false);
  return (
    <header className="app-header">
      <span className="brand" aria-label="barflow">
        bar<span>flow</span>
      </span>
      <PipelinePicker />
      {detail !== null ? <StatusBadges detail={detail} /> : null}
      <button type="button" className="fork-button" onClick={() => setForking(true)} disabled={name === null} data-testid="fork-button" title="Make an editable copy of this pipeline">
        Fork…
      </button>
      <span className="spacer" />
      <RunChip />
      <ConnectionStatus />
      <ForkDialog open={forking} onClose={() => setForking(false)} />
    </header>
  );
}
