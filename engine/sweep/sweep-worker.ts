/**
 * A sweep worker thread (started by WorkerPoolEvaluator in evaluate.ts): compiles the pipeline and
 * loads the data once, then for each chunk it is sent runs the chunk's parameter sets as one batch
 * and posts back one row of summary metrics per set, then `done`. Errors are posted back, named.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createContext, evaluateJobs, serialiseError, type ContextInit, type SweepContext, type WorkerReply, type WorkerRequest } from './evaluate.ts';

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
  const post = (reply: WorkerReply) => port.postMessage(reply);
  try {
    if (ctx === null) throw startError;
    for (const { position, metrics } of evaluateJobs(ctx, request.jobs, request.range)) post({ type: 'row', chunk: request.chunk, position, metrics });
    post({ type: 'done', chunk: request.chunk });
  } catch (error) {
    post({ type: 'error', chunk: request.chunk, errors: serialiseError(error) });
  }
});
