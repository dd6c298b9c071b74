/**
 * The end-to-end tests' world: the built editor, the real server on a temp copy of pipelines/ (so
 * forks never touch the repository), and Debian's Chromium driven by playwright-core.
 *
 * - The editor is built when editor/dist is missing or older than its sources (the same check as
 *   `barflow start`), in a child process: vitest sets NODE_ENV=test, which would give a React
 *   development build. The build goes to this run's temp folder and is then installed into
 *   editor/dist for later runs; the server always serves a private copy, so another process
 *   rebuilding editor/dist meanwhile cannot pull files from under the page.
 * - The server is `buildApp` in this process, listening on 127.0.0.1 on a free port, with a fixed
 *   token; pipelines/ is copied into the temp folder beside a `data` link, so the pipelines'
 *   `../../data/…` paths resolve as they do in the repository.
 * - Chromium: a fresh profile through `launchPersistentContext` (deps-research §3); never
 *   `npx playwright install`. `.ci/run` installs /usr/bin/chromium when missing.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { editorIsStale } from '../../engine/cli/commands/start.ts';
import { buildApp } from '../../engine/server/app.ts';
import { serverOptions } from '../../engine/server/config.ts';
import { nodeHelp } from '../../nodes/help.ts';
import { NODE_DEFINITIONS, registry } from '../../nodes/index.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts/e2e');
export const TOKEN = 'e2e-test-token-0123456789abcdef';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface BrowserProblem {
  kind: 'console' | 'pageerror';
  text: string;
  url: string;
}

export interface E2E {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  token: string;
  pipelinesDir: string;
  page: Page;
  /** console errors and uncaught page errors, in order (the browser's own favicon 404 left out) */
  problems: BrowserProblem[];
  /** how long each part of the setup took, ms */
  timings: Record<string, number>;
  /** saves test-artifacts/e2e/<nn>-<step>.png */
  shot(step: string): Promise<string>;
  close(): Promise<void>;
}

function runVite(outDir: string): Promise<void> {
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const env = { ...process.env };
  delete env['NODE_ENV']; // vitest's NODE_ENV=test would make vite bundle React's development build
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', join(ROOT, 'editor/vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`the editor build failed (${signal ?? `exit ${code}`}):\n${output.slice(-4000)}`))));
  });
}

/** The editor for this run's server: built when stale (and installed into editor/dist), else copied from it. */
async function prepareEditor(dir: string): Promise<{ editorDir: string; built: boolean }> {
  const editorDir = join(dir, 'editor');
  const dist = join(ROOT, 'editor/dist');
  if (!editorIsStale()) {
    cpSync(dist, editorDir, { recursive: true });
    if (existsSync(join(editorDir, 'index.html'))) return { editorDir, built: false };
    rmSync(editorDir, { recursive: true, force: true }); // rebuilt by someone else while copying: build our own
  }
  await runVite(editorDir);
  // install it for the next run and `npm start`; best effort (a concurrent build may win the race)
  const staging = join(ROOT, 'out', `editor-dist-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(join(ROOT, 'out'), { recursive: true });
    cpSync(editorDir, staging, { recursive: true });
    rmSync(dist, { recursive: true, force: true });
    renameSync(staging, dist);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return { editorDir, built: true };
}

export async function startE2E(): Promise<E2E> {
  const timings: Record<string, number> = {};
  let t = Date.now();
  const lap = (name: string) => {
    const now = Date.now();
    timings[name] = now - t;
    t = now;
  };
  const dir = mkdtempSync(join(tmpdir(), 'barflow-e2e-'));
  let app: FastifyInstance | null = null;
  let context: BrowserContext | null = null;
  const close = async () => {
    await context?.close().catch(() => {});
    await app?.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { editorDir, built } = await prepareEditor(dir);
    lap(built ? 'editorBuild' : 'editorCopy');

    const pipelinesDir = join(dir, 'pipelines');
    cpSync(join(ROOT, 'pipelines'), pipelinesDir, { recursive: true });
    // forks a previous local run left in the repository's pipelines/forks are not this run's
    for (const name of readdirSync(join(pipelinesDir, 'forks'))) if (name.endsWith('.yaml')) rmSync(join(pipelinesDir, 'forks', name));
    symlinkSync(join(ROOT, 'data'), join(dir, 'data'));
    const options = { ...serverOptions({ host: '127.0.0.1', port: 0 }, { BARFLOW_TOKEN: TOKEN }), pipelinesDir, uploadDir: join(dir, 'uploads'), editorDir };
    ({ app } = await buildApp(options, { registry, definitions: NODE_DEFINITIONS, help: nodeHelp, logger: false }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address !== 'object') throw new Error('the server has no port');
    const baseUrl = `http://127.0.0.1:${address.port}`;
    lap('server');

    context = await chromium.launchPersistentContext(mkdtempSync(join(dir, 'profile-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1600, height: 1000 },
      deviceScaleFactor: 1,
    });
    context.setDefaultTimeout(30_000);
    const page = context.pages()[0] ?? (await context.newPage());
    lap('browser');

    const problems: BrowserProblem[] = [];
    const isFavicon = (url: string) => /\/favicon\.ico(\?|$)/.test(url);
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() !== 'error') return;
      const url = msg.location().url ?? '';
      if (isFavicon(url)) return;
      problems.push({ kind: 'console', text: msg.text(), url });
    });
    page.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: `${error.name}: ${error.message}\n${error.stack ?? ''}`, url: page.url() }));
    // a 404 the page itself caused would be a real problem; the favicon is the browser's own request
    page.on('response', (response) => {
      if (response.status() >= 400 && !isFavicon(response.url())) problems.push({ kind: 'console', text: `HTTP ${response.status()} ${response.request().method()} ${response.url()}`, url: response.url() });
    });

    mkdirSync(ARTIFACTS, { recursive: true });
    for (const name of readdirSync(ARTIFACTS)) if (name.endsWith('.png')) rmSync(join(ARTIFACTS, name));
    let shots = 0;
    const shot = async (step: string) => {
      const path = join(ARTIFACTS, `${String(++shots).padStart(2, '0')}-${step}.png`);
      await page.screenshot({ path });
      return path;
    };
    return { baseUrl, token: TOKEN, pipelinesDir, page, problems, timings, shot, close };
  } catch (error) {
    await close();
    throw error;
  }
}
