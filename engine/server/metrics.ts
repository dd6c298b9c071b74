import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The server's Prometheus metrics (served at /metrics); one registry per app, so tests stay isolated. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly runsStarted = new Counter({ name: 'barflow_runs_started_total', help: 'runs started, by mode', labelNames: ['mode'], registers: [this.registry] });
  readonly runsActive = new Gauge({ name: 'barflow_runs_active', help: 'runs currently running or paused', registers: [this.registry] });
  readonly barsProcessed = new Counter({ name: 'barflow_bars_processed_total', help: 'base bars committed across all runs', registers: [this.registry] });
  readonly nodeSeconds = new Histogram({
    name: 'barflow_node_eval_seconds',
    help: 'time of one node step, sampled every 251st bar, by node type',
    labelNames: ['type'],
    buckets: [1e-7, 3e-7, 1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 1e-3],
    registers: [this.registry],
  });
  readonly wsClients = new Gauge({ name: 'barflow_ws_clients', help: 'open WebSocket connections', registers: [this.registry] });
  readonly framesSent = new Counter({ name: 'barflow_ws_frames_sent_total', help: 'bar frames delivered to WebSocket clients', registers: [this.registry] });
  readonly framesDropped = new Counter({ name: 'barflow_ws_frames_dropped_total', help: 'bar frames merged away for clients that fell behind', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'barflow_process_' });
  }
}
