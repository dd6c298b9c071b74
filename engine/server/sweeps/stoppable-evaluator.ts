import type { EvalJob, EvalRange, Evaluator } from '../../sweep/evaluate.ts';
import type { SweepMetrics } from '../../sweep/objective.ts';

/** What a stopped sweep's pending evaluation rejects with. */
export class SweepStopped extends Error {
  constructor() {
    super('the sweep was stopped');
    this.name = 'SweepStopped';
  }
}

/**
 * An evaluator that can be stopped mid-evaluation: `stop()` rejects the evaluation in flight (and
 * every later one) with SweepStopped and closes the evaluator beneath, which terminates its worker
 * threads. (A worker pool closed mid-evaluation never settles its own promise, so the rejection has
 * to come from here.)
 */
export class StoppableEvaluator implements Evaluator {
  private stopped = false;
  private rejectPending: ((error: Error) => void) | null = null;

  constructor(private readonly inner: Evaluator) {}

  get workers(): number {
    return this.inner.workers;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  evaluate(jobs: readonly EvalJob[], range: EvalRange, onSet?: () => void): Promise<SweepMetrics[]> {
    if (this.stopped) return Promise.reject(new SweepStopped());
    return new Promise<SweepMetrics[]>((resolve, reject) => {
      this.rejectPending = reject;
      this.inner
        .evaluate(jobs, range, () => {
          if (!this.stopped) onSet?.();
        })
        .then(resolve, reject)
        .finally(() => {
          if (this.rejectPending === reject) this.rejectPending = null;
        });
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const reject = this.rejectPending;
    this.rejectPending = null;
    reject?.(new SweepStopped());
    void this.inner.close();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
