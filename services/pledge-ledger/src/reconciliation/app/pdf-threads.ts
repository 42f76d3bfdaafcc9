import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Gauge, register } from 'prom-client';
import type { ReportData } from './pdf-render';
import type { ThreadRequest, WorkerMessage } from './pdf-worker';

// The finance PDF's render threads (node:worker_threads, pdf-worker.ts). Loading pdfkit takes a
// thread a third of a second on an idle machine (seconds under load), so one thread is kept
// ready: started when a report is asked for (while its figures are read from the database),
// kept after a report for the next one. Each report has a thread of its own; a cancelled or
// failed report ends its thread, never another request or the process.

/** Threads kept ready, pdfkit loaded and fonts parsed; more reports at once start more. */
const READY_THREADS = 1;
/** A render thread may use this much heap; past it only that download fails. */
const THREAD_HEAP_MB = 256;

export interface RenderHandlers {
  chunk(bytes: Buffer, rows: number): void;
  done(pages: number, rows: number): void;
  fail(err: Error): void;
}

export interface RenderJob {
  /** Leave for the thread to send its next chunk. */
  more(): void;
  /** Ends the thread (the download went away): nothing more is sent. */
  cancel(): void;
}

interface Thread {
  worker: Worker;
  job: RenderHandlers | null;
}

const ready: Thread[] = [];
let busy = 0;

// On /metrics: how many reports are being drawn now, and whether a thread is ready.
if (!register.getSingleMetric('reconciliation_pdf_threads'))
  new Gauge({
    name: 'reconciliation_pdf_threads',
    help: 'Finance PDF render threads: busy (drawing a report) and ready (pdfkit loaded, waiting)',
    labelNames: ['state'],
    collect() {
      this.set({ state: 'busy' }, busy);
      this.set({ state: 'ready' }, ready.length);
    },
  });

/** The bundle's pdf-worker.js next to it, or the TypeScript source through tsx. */
function startWorker(): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: THREAD_HEAP_MB };
  if (!__filename.endsWith('.ts'))
    return new Worker(path.join(__dirname, 'pdf-worker.js'), { resourceLimits });
  // From source (tsx, Jest): the thread registers tsx's require hook and inherits no loader.
  const tsx = JSON.stringify(require.resolve('tsx/cjs/api'));
  const entry = JSON.stringify(path.join(__dirname, 'pdf-worker.ts'));
  return new Worker(`require(${tsx}).register(); require(${entry});`, {
    eval: true,
    execArgv: [],
    resourceLimits,
  });
}

/** The thread's report is over (sent, cancelled or failed). */
function free(thread: Thread): void {
  if (thread.job) busy -= 1;
  thread.job = null;
}

function drop(thread: Thread): void {
  const i = ready.indexOf(thread);
  if (i >= 0) ready.splice(i, 1);
}

function park(thread: Thread): void {
  if (ready.length >= READY_THREADS) {
    void thread.worker.terminate();
    return;
  }
  thread.worker.unref(); // a ready thread does not keep the process (CLI, tests) alive
  ready.push(thread);
}

function spawn(): Thread {
  const thread: Thread = { worker: startWorker(), job: null };
  const end = (err: Error) => {
    const job = thread.job;
    free(thread);
    drop(thread);
    job?.fail(err);
  };
  thread.worker.on('message', (m: WorkerMessage) => {
    const job = thread.job;
    if (!job) return;
    if (m.type === 'chunk')
      return job.chunk(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength), m.rows);
    free(thread);
    park(thread);
    job.done(m.pages, m.rows);
  });
  // Always listened to: an 'error' without a listener would be thrown in the main thread.
  thread.worker.on('error', end);
  thread.worker.on('exit', (code) => end(new Error(`the PDF render thread stopped (${code})`)));
  return thread;
}

/** Has a thread ready (pdfkit loaded) for the next report; call it before reading its data. */
export function prepareRenderThread(): void {
  if (ready.length === 0) park(spawn());
}

/** Draws the report in a thread of its own; the handlers get its chunks, end or failure. */
export function renderInThread(data: ReportData, handlers: RenderHandlers): RenderJob {
  const thread = ready.pop() ?? spawn();
  thread.worker.ref();
  thread.job = handlers;
  busy += 1;
  const send = (m: ThreadRequest) => thread.worker.postMessage(m);
  send({ type: 'render', data });
  return {
    more: () => {
      if (thread.job === handlers) send({ type: 'more' });
    },
    cancel: () => {
      if (thread.job !== handlers) return;
      free(thread);
      void thread.worker.terminate();
    },
  };
}
