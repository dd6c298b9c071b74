/**
 * The editor end to end, in Debian's Chromium driven by playwright-core, against the real server on
 * a temp copy of pipelines/: open the editor, the canonical graph renders with all its nodes, the
 * lock refuses an edit, fork it, change a param in the form, run a backtest and see its metrics,
 * start a replay and see node values change. Every step leaves a screenshot in
 * test-artifacts/e2e/<nn>-<step>.png, and the page must log no errors.
 *
 * Skipped (with a message) only where /usr/bin/chromium is missing; `.ci/run` installs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable, CHROMIUM, startE2E, type E2E } from './setup.ts';

const CANONICAL_NODES = 177;
const SLOW = 90_000;

const available = chromiumAvailable();
if (!available) console.warn(`[e2e] skipping the editor end-to-end tests: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)`);

/** Polls `read` until `accept` holds; the last value is returned either way, for the assertion that follows. */
async function poll<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number, everyMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, everyMs));
    value = await read();
  }
  return value;
}

/** The lines the Monaco editor shows, one per line (it renders spaces as no-break spaces). */
async function monacoText(page: Page): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').first().locator('.view-line').allTextContents()).map((line) => line.replace(/\u00a0/g, ' ')).join('\n');
}

async function cardValues(card: Locator): Promise<string> {
  return (await card.locator('.out-value').allTextContents()).join(' | ');
}

describe.skipIf(!available)('editor end to end (Chromium)', () => {
  let e2e: E2E;
  let page: Page;
  const forkName = `e2e-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;

  beforeAll(async () => {
    e2e = await startE2E();
    page = e2e.page;
    console.info(`[e2e] setup ${JSON.stringify(e2e.timings)}`);
  }, 300_000);

  afterAll(async () => {
    await e2e?.close();
  }, 60_000);

  const graph = () => page.getByTestId('graph');
  const waitGraphReady = async () => {
    await expect.poll(() => graph().getAttribute('data-state'), { timeout: SLOW, interval: 200 }).toBe('ready');
  };

  it('opens the editor with the token from the URL', async () => {
    await page.goto(`${e2e.baseUrl}/#token=${e2e.token}`, { waitUntil: 'domcontentloaded' });
    await page.getByTestId('pipeline-picker').waitFor();
    await waitGraphReady();
    // the token left the address bar (kept for this tab only) and the pipeline is in the query
    expect(page.url()).not.toContain('token=');
    expect(await page.getByTestId('pipeline-picker').inputValue()).toBe('enygma');
    await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 30_000 }).not.toBe('offline');
    await e2e.shot('open');
  }, SLOW);

  it('renders the canonical graph with all its nodes, locked', async () => {
    // collapsed by default: sub-graph instances are boxes
    expect(await page.getByTestId('group-box').count()).toBeGreaterThan(0);
    await page.getByTestId('expand-all').click();
    await waitGraphReady();
    await expect.poll(() => page.getByTestId('node-card').count(), { timeout: 30_000 }).toBe(CANONICAL_NODES);
    expect(Number(await graph().getAttribute('data-nodes'))).toBeGreaterThanOrEqual(CANONICAL_NODES);
    expect(await page.getByTestId('group-box').count()).toBe(0);
    expect(await page.getByTestId('group-frame').count()).toBeGreaterThan(0);
    expect(await page.locator('.graph-count').textContent()).toContain(`${CANONICAL_NODES} nodes`);
    const lock = page.getByTestId('lock-badge');
    await lock.waitFor();
    expect(await lock.getAttribute('data-lock-ok')).toBe('true');
    expect(await lock.textContent()).toContain('locked');
    await e2e.shot('canonical-expanded');
    // the toolbar's Fit shows a graph this tall from the top: React Flow's own fit shows all of it
    await page.locator('.react-flow__controls-fitview').click();
    await page.waitForTimeout(500);
    await e2e.shot('canonical-expanded-overview');
    await page.locator('.graph-toolbar button').filter({ hasText: /^Fit$/ }).click();
  }, SLOW);

  it('the lock refuses an edit: read-only YAML, no params form', async () => {
    await page.getByTestId('tab-yaml').click();
    const banner = page.getByTestId('yaml-readonly-banner');
    await banner.waitFor({ timeout: SLOW });
    expect(await banner.textContent()).toContain('Locked: fork to edit');
    const lines = page.locator('.monaco-editor .view-lines').first();
    await lines.waitFor({ timeout: SLOW });
    await expect.poll(() => monacoText(page), { timeout: 30_000 }).toContain('pipeline: enygma');
    const before = await monacoText(page);
    await lines.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('EDITED-BY-E2E ');
    await page.keyboard.press('Enter');
    // Monaco says why it refused
    await page.locator('.monaco-editor-overlaymessage').filter({ hasText: 'Locked: fork to edit' }).waitFor({ timeout: 10_000 });
    expect(await monacoText(page)).toBe(before);
    expect(await monacoText(page)).not.toContain('EDITED-BY-E2E');
    expect(await page.getByTestId('yaml-dirty').count()).toBe(0);
    expect(await page.getByTestId('yaml-save').count()).toBe(0);
    await e2e.shot('locked-yaml-refuses-typing');

    // the params of a node are shown, not offered for editing
    await page.getByTestId('tab-graph').click();
    await selectNode(page, 'risk');
    await page.getByRole('tab', { name: 'Ports & params' }).click();
    await page.getByTestId('params-list').waitFor();
    await page.getByText('Locked pipeline: fork it to change params.').waitFor();
    expect(await page.getByTestId('param-sizePct').count()).toBe(0);
    expect(await page.getByTestId('params-save').count()).toBe(0);
    await e2e.shot('locked-params-read-only');

    // and the server refuses a save of the canonical pipeline
    const refused = await page.request.put(`${e2e.baseUrl}/api/pipelines/enygma`, { headers: { authorization: `Bearer ${e2e.token}`, 'content-type': 'application/json' }, data: { yaml: 'pipeline: enygma\n' }, failOnStatusCode: false });
    expect(refused.status()).toBe(409);
  }, SLOW);

  it('forks the canonical pipeline and opens the fork', async () => {
    await page.getByTestId('fork-button').click();
    const dialog = page.getByTestId('fork-dialog');
    await dialog.waitFor();
    await page.getByTestId('fork-name').fill(forkName);
    await e2e.shot('fork-dialog');
    await page.getByTestId('fork-confirm').click();
    await expect.poll(() => page.getByTestId('pipeline-picker').inputValue(), { timeout: SLOW }).toBe(forkName);
    await waitGraphReady();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('lock-badge').count()).toBe(0);
    await page.locator('.badge.fork').filter({ hasText: 'fork of enygma' }).waitFor();
    expect(page.url()).toContain(`pipeline=${forkName}`);
    await e2e.shot('forked');
  }, SLOW);

  it('changes a param in the form, saved into the YAML', async () => {
    await selectNode(page, 'risk');
    await page.getByRole('tab', { name: 'Params (edit)' }).click();
    const field = page.getByTestId('param-sizePct');
    await field.waitFor({ timeout: SLOW });
    expect(await field.isEditable()).toBe(true);
    expect(await field.inputValue()).toBe('2');
    await field.fill('3');
    await page.getByTestId('params-save').click();
    const status = page.getByTestId('params-status');
    await expect.poll(() => status.textContent(), { timeout: SLOW }).toMatch(/^Saved/);
    expect(await field.inputValue()).toBe('3');
    await e2e.shot('param-saved');

    // the YAML tab shows the new value (find it with Monaco's own search)
    await page.getByTestId('tab-yaml').click();
    await expect.poll(() => monacoText(page), { timeout: SLOW }).toContain(`pipeline: ${forkName}`);
    expect(await page.getByTestId('yaml-readonly-banner').count()).toBe(0);
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+F');
    const find = page.locator('.monaco-editor .find-widget.visible textarea').first();
    await find.waitFor({ timeout: 10_000 });
    await find.fill('sizePct:');
    await find.press('Enter');
    await expect.poll(() => monacoText(page), { timeout: 10_000 }).toMatch(/^ *sizePct: 3$/m);
    await find.press('Escape');
    expect(await page.getByTestId('yaml-dirty').count()).toBe(0);
    await expect.poll(() => page.getByTestId('yaml-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('valid');
    await e2e.shot('yaml-shows-new-value');

    // on disk too, in the temp copy
    const saved = await page.request.get(`${e2e.baseUrl}/api/pipelines/${forkName}`);
    expect(((await saved.json()) as { yaml: string }).yaml).toMatch(/sizePct: 3\b/);
    await page.getByTestId('tab-graph').click();
    await waitGraphReady();
  }, SLOW);

  it('runs a backtest and shows its summary metrics', async () => {
    await page.getByTestId('tab-run').click();
    await page.getByTestId('run-backtest').click();
    const progress = page.getByTestId('run-progress');
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: 150_000, interval: 250 }).toMatch(/^(done|failed|stopped)$/);
    expect(await progress.getAttribute('data-state')).toBe('done');
    const metric = (key: string) => page.getByTestId(`metric-${key}`).locator('.rc-metric-value');
    await expect.poll(() => metric('trades').textContent(), { timeout: 30_000 }).toMatch(/\d/);
    await expect.poll(() => metric('netPnl').textContent(), { timeout: 30_000 }).toMatch(/\d/);
    const trades = Number((await metric('trades').textContent())!.replace(/[^\d]/g, ''));
    expect(trades).toBeGreaterThan(0);
    const bars = (await page.getByTestId('run-bars').textContent()) ?? '';
    const [done, total] = bars.split('/').map((s) => Number(s.replace(/[^\d]/g, '')));
    expect(total).toBeGreaterThan(10_000);
    expect(done).toBe(total);
    await page.getByTestId('candle-chart').waitFor();
    await e2e.shot('backtest-metrics');
  }, 180_000);

  it('starts a replay and the node values change', async () => {
    // show a card up close: the feed's candle values change with every bar
    await selectNode(page, 'candles');
    await page.getByTestId('replay-speed').fill('200');
    await page.getByTestId('run-replay').click();
    const progress = page.getByTestId('run-progress');
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: SLOW }).toBe('running');
    const barsDone = async () => Number(((await page.getByTestId('run-bars').textContent()) ?? '').split('/')[0]!.replace(/[^\d]/g, ''));
    await expect.poll(barsDone, { timeout: SLOW }).toBeGreaterThan(0);
    const card = page.locator('[data-testid="node-card"][data-node-id="candles"]');
    await card.waitFor();
    const first = await poll(() => cardValues(card), (v) => /\d/.test(v), 30_000);
    const firstBars = await barsDone();
    await e2e.shot('replay-running');
    await page.waitForTimeout(2_000);
    const second = await poll(() => cardValues(card), (v) => v !== first && /\d/.test(v), 30_000, 500);
    expect(second).not.toBe(first);
    expect(await barsDone()).toBeGreaterThan(firstBars);
    await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('streaming');
    await e2e.shot('replay-values-changed');
    await page.getByTestId('run-stop').click();
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: 30_000 }).toBe('stopped');
  }, SLOW);

  it('compares the fork with the canonical run, side by side', async () => {
    await page.getByTestId('tab-compare').click();
    // the data choice: the fork's own feed file, or one of the server's data sets
    const data = page.getByTestId('compare-data');
    await data.waitFor({ timeout: SLOW });
    const choices = await data.locator('option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    expect(choices[0]).toBe('');
    expect(choices).toContain('eth-5m');
    await page.getByTestId('compare-start').click();
    const summary = page.getByTestId('compare-summary');
    await summary.waitFor({ timeout: 180_000 });
    const header = (await summary.locator('thead').textContent()) ?? '';
    expect(header).toContain('enygma');
    expect(header).toContain(forkName);
    // sizePct 3 against 2: the same entries, with larger positions, so the net PnL differs
    const net = page.getByTestId('compare-metric-netPnl');
    const cells = await net.locator('td').allTextContents();
    expect(cells[1]).toMatch(/\d/);
    expect(cells[2]).toMatch(/\d/);
    expect(cells[1]).not.toBe(cells[2]);
    await e2e.shot('compare-fork-vs-canonical');
  }, 200_000);

  it('sweeps two params of the fork: ranked table, heatmap, a row opened as a new fork', async () => {
    await page.getByTestId('sweep-tab').click();
    await page.getByTestId('sweep-panel').waitFor({ timeout: SLOW });
    const param = async (k: number, node: string, name: string, list: string) => {
      await page.getByTestId('sweep-param-add').click();
      await page.getByTestId(`sweep-param-node-${k}`).selectOption(node);
      await page.getByTestId(`sweep-param-name-${k}`).selectOption(name);
      await page.getByTestId(`sweep-param-mode-${k}`).selectOption('list');
      await page.getByTestId(`sweep-param-list-${k}`).fill(list);
    };
    await param(0, 'risk', 'stopLossRoi', '4, 8');
    await param(1, 'risk', 'sizePct', '1, 2');
    const data = await page.getByTestId('sweep-data').locator('option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    expect(data).toContain('eth-5m');
    await page.getByTestId('sweep-start').click();
    const progress = page.getByTestId('sweep-progress');
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: 240_000, interval: 500 }).toMatch(/^(done|failed|stopped)$/);
    expect(await progress.getAttribute('data-state')).toBe('done');
    await page.getByTestId('sweep-results').waitFor();
    expect(await page.locator('[data-testid^="sweep-row-"]').count()).toBe(4);
    await page.getByTestId('sweep-heatmap').waitFor();
    expect(await page.locator('[data-testid^="sweep-heatmap-cell-"]').count()).toBe(4);
    await e2e.shot('sweep-results');

    await page.getByTestId('sweep-row-1').click();
    await page.getByTestId('sweep-open-fork').click();
    const name = page.getByTestId('sweep-fork-name');
    await name.waitFor();
    const newFork = await name.inputValue();
    expect(newFork).toMatch(/^[a-z0-9_-]+$/);
    await page.getByTestId('sweep-fork-confirm').click();
    await expect.poll(() => page.getByTestId('pipeline-picker').inputValue(), { timeout: SLOW }).toBe(newFork);
    await waitGraphReady();
    await e2e.shot('sweep-row-opened-as-fork');
  }, 300_000);

  it('logged no errors in the browser', () => {
    expect(e2e.problems).toEqual([]);
  });
});

/** Finds a node by id with the graph's search (which brings it into view) and selects its card. */
async function selectNode(page: Page, id: string): Promise<void> {
  const search = page.getByTestId('node-search');
  await search.fill(id);
  await search.press('Enter');
  const card = page.locator(`[data-testid="node-card"][data-node-id="${id}"]`);
  await card.waitFor();
  await expect.poll(() => page.getByTestId('graph').getAttribute('data-state'), { timeout: SLOW }).toBe('ready');
  await card.click();
  await page.locator(`.node-inspector[data-node-id="${id}"]`).waitFor();
}
