/**
 * A sweep worker thread (started by WorkerPoolEvaluator in evaluate.ts): compiles the pipeline and
 * loads the data once, then for each chunk it is sent runs the chunk's parameter sets as one batch
 * and posts back one row of summary metrics per set, then `done` (with kernels 'gpu', carrying what
 * the GPU did for the chunk). Errors are posted back, named. The pool sends a worker one chunk at a
 * time, so an asynchronous chunk (the GPU path) never overlaps the next.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { GpuReport } from '../batch/batch-run.ts';
import { createContext, evaluateJobs, evaluateJobsAsync, serialiseError, type ContextInit, type SweepContext, type WorkerReply, type WorkerRequest } from './evaluate.ts';

const port = parentPort!;
// compiled and loaded at start, while the main thread is still preparing the sets
let ctx: SweepContext | null = null;
let startError: unknown = null;
try {
  ctx = createContext(workerData as ContextInit);
} catch (error) {
  startError = error;
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'close') {
    // asked before a GPU pool is terminated: release the gpu.js backend, then let the thread end
    ctx?.gpu?.destroy();
    if (ctx !== null) ctx.gpu = undefined;
    port.close();
    return;
  }
  const post = (reply: WorkerReply) => port.postMessage(reply);
  const fail = (error: unknown) => post({ type: 'error', chunk: request.chunk, errors: serialiseError(error) });
  try {
    if (ctx === null) throw startError;
    if (ctx.init.kernels !== 'gpu') {
      for (const { position, metrics } of evaluateJobs(ctx, request.jobs, request.range)) post({ type: 'row', chunk: request.chunk, position, metrics });
      post({ type: 'done', chunk: request.chunk });
      return;
    }
    const c = ctx;
    void (async () => {
      let gpu: GpuReport | undefined;
      for await (const { position, metrics } of evaluateJobsAsync(c, request.jobs, request.range, (r) => (gpu = { ...r }))) post({ type: 'row', chunk: request.chunk, position, metrics });
      post({ type: 'done', chunk: request.chunk, gpu });
    })().catch(fail);
  } catch (error) {
    fail(error);
  }
});
