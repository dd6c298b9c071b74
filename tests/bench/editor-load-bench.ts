import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { editorIsStale } from '../../engine/cli/commands/start.ts';
import { REPO_ROOT, intOption, isMain, machine, machineLine, median, pct, spread, table, writeResult } from './common.ts';
import { BENCH_TOKEN, startServerChild, type ServerChild } from './stream-server.ts';

/**
 * How long the editor takes to show a pipeline: from navigation start to the graph fully drawn
 * (data-testid=graph with data-state=ready and its node cards in the page, then one more frame so
 * they are painted), in Debian's Chromium driven by playwright-core, against the real server in a
 * child process (stream-server-child.ts) with the canonical pipeline replaying at 50 bars/s, as
 * `npm start` runs it. For enygma and one example pipeline:
 *
 *   cold   a fresh browser profile (empty HTTP cache, no stored layouts): the first visit
 *   warm   a reload of the same page (cached scripts, the layout stored by the first visit)
 *
 * and on enygma, "Expand all" from the click until all 177 node cards are laid out and drawn, first
 * in the fresh profile (ELK lays the expanded graph out) and again after the reload (layout stored).
 * Every figure is the median of --editor-runs=N runs (default 5), each in its own fresh profile.
 * The times are the page's own clock (performance.now(), whose origin is navigation start).
 */

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1600, height: 1000 };
const CANONICAL_NODES = 177;
const EXAMPLE = 'mean-reversion';
const REPLAY_SPEED = 50;

/**
 * Registered before any page script: notes performance.now() when the graph first reports
 * data-state=ready with node cards in it, and again one frame later (drawn). Sets window.__bench.
 */
const OBSERVE_READY = `(() => {
  const bench = (window.__bench = { readyMs: null, paintedMs: null, cards: 0 });
  const check = () => {
    if (bench.readyMs !== null) return;
    const graph = document.querySelector('[data-testid="graph"]');
    if (graph === null || graph.getAttribute('data-state') !== 'ready') return;
    const cards = document.querySelectorAll('[data-testid="node-card"]').length;
    if (cards === 0) return;
    bench.readyMs = performance.now();
    bench.cards = cards;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => (bench.paintedMs = performance.now())));
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
})();`;

/** Clicks "Expand all" and resolves once every card is there and the graph is ready again (times from the click). */
const EXPAND_ALL = `new Promise((resolve, reject) => {
  const want = ${CANONICAL_NODES};
  let readyMs = null;
  const timer = setTimeout(() => reject(new Error('expand all: not drawn within 60 s (' + document.querySelectorAll('[data-testid="node-card"]').length + ' cards)')), 60000);
  const check = () => {
    if (readyMs !== null) return;
    const graph = document.querySelector('[data-testid="graph"]');
    const cards = document.querySelectorAll('[data-testid="node-card"]').length;
    if (graph === null || graph.getAttribute('data-state') !== 'ready' || cards < want) return;
    readyMs = performance.now() - t0;
    observer.disconnect();
    clearTimeout(timer);
    requestAnimationFrame(() => requestAnimationFrame(() => resolve({ readyMs, paintedMs: performance.now() - t0, cards })));
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  const button = document.querySelector('[data-testid="expand-all"]');
  if (button === null) return reject(new Error('no expand-all button'));
  const t0 = performance.now();
  button.click();
})`;

interface LoadSample {
  /** graph ready with cards (ms from navigation start) */
  readyMs: number;
  /** one frame later: painted */
  paintedMs: number;
  cards: number;
  /** the editor's own marks (window.__barflow): its script started, the pipeline arrived, ELK layout took */
  scriptMs: number | null;
  detailMs: number | null;
  layoutMs: number | null;
  domContentLoadedMs: number;
}

interface ExpandSample {
  readyMs: number;
  paintedMs: number;
  cards: number;
}

interface RunSamples {
  cold: LoadSample;
  warm: LoadSample;
  expandCold?: ExpandSample;
  expandWarm?: ExpandSample;
}

async function measureLoad(page: Page, reload: boolean, url: string): Promise<LoadSample> {
  if (reload) await page.reload({ waitUntil: 'commit' });
  else await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction('window.__bench && window.__bench.paintedMs !== null', null, { timeout: 120_000, polling: 50 });
  return (await page.evaluate(`(() => {
    const b = window.__bench;
    const f = window.__barflow || {};
    const nav = performance.getEntriesByType('navigation')[0];
    return { readyMs: b.readyMs, paintedMs: b.paintedMs, cards: b.cards, scriptMs: f.scriptMs ?? null, detailMs: f.detailMs ?? null, layoutMs: f.layoutMs ?? null, domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : NaN };
  })()`)) as LoadSample;
}

async function oneRun(server: ServerChild, pipeline: string, expand: boolean): Promise<RunSamples> {
  const profile = mkdtempSync(join(tmpdir(), 'barflow-bench-chromium-'));
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: VIEWPORT });
    await context.addInitScript({ content: OBSERVE_READY });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = `${server.base}/?pipeline=${pipeline}#token=${BENCH_TOKEN}`;
    const cold = await measureLoad(page, false, url);
    const expandCold = expand ? ((await page.evaluate(EXPAND_ALL)) as ExpandSample) : undefined;
    const warm = await measureLoad(page, true, url);
    const expandWarm = expand ? ((await page.evaluate(EXPAND_ALL)) as ExpandSample) : undefined;
    if (errors.length > 0) process.stderr.write(`  page errors (${pipeline}): ${errors.slice(0, 3).join(' | ')}\n`);
    return { cold, warm, ...(expandCold === undefined ? {} : { expandCold }), ...(expandWarm === undefined ? {} : { expandWarm }) };
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface EditorRow {
  pipeline: string;
  what: string;
  cards: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  spread: number;
  readyMedianMs: number;
  samplesMs: number[];
}

export interface EditorLoadResult {
  skipped: string | null;
  rows: EditorRow[];
}

export async function runEditorLoadBench(argv: readonly string[] = []): Promise<EditorLoadResult> {
  const runs = intOption(argv, 'editor-runs', 5);
  process.stdout.write(`\n== editor: page load to the graph fully drawn, Chromium headless (${VIEWPORT.width}×${VIEWPORT.height}), server child replaying enygma at ${REPLAY_SPEED} bars/s, ${runs} runs, median ==\n`);
  if (!existsSync(CHROMIUM)) {
    const why = `${CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium) to run this part`;
    process.stdout.write(`SKIPPED: ${why}\n`);
    writeResult('editor', { part: 'editor', date: new Date().toISOString(), machine: machine(), skipped: why, rows: [] });
    return { skipped: why, rows: [] };
  }
  if (editorIsStale()) {
    process.stdout.write('  building the editor (editor/dist is missing or older than its sources) ...');
    const { build } = await import('vite');
    await build({ configFile: join(REPO_ROOT, 'editor/vite.config.ts'), logLevel: 'warn' });
    process.stdout.write(' done\n');
  }

  const server = await startServerChild();
  const samples: Record<string, RunSamples[]> = { enygma: [], [EXAMPLE]: [] };
  try {
    await server.post('/api/runs', { pipeline: 'enygma', mode: 'replay', speed: REPLAY_SPEED });
    // one throw-away load: the server's first answers (compiling the pipeline, reading files) are not the editor's
    await oneRun(server, 'enygma', false);
    for (let r = 0; r < runs; r++) {
      process.stdout.write(`  run ${r + 1}/${runs}: enygma`);
      samples['enygma']!.push(await oneRun(server, 'enygma', true));
      process.stdout.write(` ${EXAMPLE}`);
      samples[EXAMPLE]!.push(await oneRun(server, EXAMPLE, false));
      process.stdout.write('\n');
    }
  } finally {
    await server.stop();
  }

  const row = (pipeline: string, what: string, list: { readyMs: number; paintedMs: number; cards: number }[]): EditorRow => {
    const painted = list.map((s) => s.paintedMs);
    return {
      pipeline,
      what,
      cards: Math.min(...list.map((s) => s.cards)),
      medianMs: median(painted),
      minMs: Math.min(...painted),
      maxMs: Math.max(...painted),
      spread: spread(painted),
      readyMedianMs: median(list.map((s) => s.readyMs)),
      samplesMs: painted,
    };
  };
  const e = samples['enygma']!;
  const x = samples[EXAMPLE]!;
  const rows: EditorRow[] = [
    row('enygma', 'load, cold (fresh profile)', e.map((s) => s.cold)),
    row('enygma', 'load, warm (reload)', e.map((s) => s.warm)),
    row('enygma', `expand all → ${CANONICAL_NODES} cards (first time)`, e.map((s) => s.expandCold!)),
    row('enygma', `expand all → ${CANONICAL_NODES} cards (layout stored)`, e.map((s) => s.expandWarm!)),
    row(EXAMPLE, 'load, cold (fresh profile)', x.map((s) => s.cold)),
    row(EXAMPLE, 'load, warm (reload)', x.map((s) => s.warm)),
  ];
  const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '—');
  process.stdout.write(
    '\n' +
      table(
        ['pipeline', 'measure', 'cards', 'drawn ms', 'min', 'max', 'spread', 'state ready ms', 'samples ms'],
        rows.map((r) => [r.pipeline, r.what, String(r.cards), fmt(r.medianMs), fmt(r.minMs), fmt(r.maxMs), pct(r.spread), fmt(r.readyMedianMs), r.samplesMs.map(fmt).join(' ')]),
        ['left', 'left'],
      ) +
      '\n',
  );
  process.stdout.write(`drawn = from navigation start (loads) or from the click (expand all) until data-testid=graph is data-state=ready with its node\n`);
  process.stdout.write(`cards in the page, plus one frame (painted); state ready = the moment the state flipped. Median of ${runs} runs, each in a fresh profile.\n`);
  const parts = (list: LoadSample[]) => {
    const m = (get: (s: LoadSample) => number | null) => fmt(median(list.map(get).filter((v): v is number => v !== null)));
    return [m((s) => s.domContentLoadedMs), m((s) => s.scriptMs), m((s) => s.detailMs), m((s) => s.layoutMs), m((s) => s.paintedMs)];
  };
  process.stdout.write(`\nwhere a load's time goes (medians, ms from navigation start; layout = the ELK layout's own duration, ~0 when stored)\n`);
  process.stdout.write(
    table(
      ['pipeline', 'load', 'DOMContentLoaded', 'editor script', 'pipeline received', 'layout ms', 'drawn'],
      [
        ['enygma', 'cold', ...parts(e.map((s) => s.cold))],
        ['enygma', 'warm', ...parts(e.map((s) => s.warm))],
        [EXAMPLE, 'cold', ...parts(x.map((s) => s.cold))],
        [EXAMPLE, 'warm', ...parts(x.map((s) => s.warm))],
      ],
      ['left', 'left'],
    ) + '\n',
  );
  const file = writeResult('editor', { part: 'editor', date: new Date().toISOString(), machine: machine(), chromium: CHROMIUM, viewport: VIEWPORT, replaySpeed: REPLAY_SPEED, runs, skipped: null, rows, samples });
  process.stdout.write(`results: ${relative(REPO_ROOT, file)}\n`);
  return { skipped: null, rows };
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine() + '\n');
  await runEditorLoadBench(process.argv.slice(2));
}
