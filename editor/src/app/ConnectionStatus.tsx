import { useLive, useLiveRun } from './live.ts';
import { isActive } from './runs.ts';
import { useAppStore } from './store.ts';

const ms = (v: number | null): string => (v === null ? '—' : `${Math.max(0, Math.round(v))} ms`);

/** WebSocket state and latency: bar-to-browser while a run streams, ping round trip otherwise. */
export function ConnectionStatus() {
  const connected = useLive((s) => s.connected);
  const latency = useLive((s) => s.latencyMs);
  const rtt = useLive((s) => s.rttMs);
  const merged = useLive((s) => s.merged);
  const runId = useAppStore((s) => s.runId);
  const run = useLiveRun(runId);
  const streaming = connected && isActive(run) && run?.state === 'running';
  const state = !connected ? 'offline' : streaming ? 'streaming' : 'connected';
  const text = !connected ? 'reconnecting…' : streaming ? `live · ${ms(latency)}` : `connected · ${ms(rtt)}`;
  const title = [
    connected ? 'WebSocket connected' : 'WebSocket closed: reconnecting with backoff',
    `bar → browser latency: ${ms(latency)}`,
    `ping round trip: ${ms(rtt)}`,
    merged > 0 ? `${merged} frames merged because this tab fell behind (latest values kept)` : null,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <div className={`connection ${state}`} data-testid="connection-status" data-state={state} title={title} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {text}
      {merged > 0 ? <span className="merged"> · {merged} merged</span> : null}
    </div>
  );
}
