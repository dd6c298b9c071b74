/**
 * The pipelines and node-types routes by injection, on a temp copy of pipelines/: names that try to
 * leave the pipelines folder (never a file outside it read or written), read-only canonical and
 * example pipelines, saves that do not compile, lock or rename a fork (refused, the old file kept),
 * and the ordinary list / get / validate / fork / save flow.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHelp } from '../../../nodes/help.ts';
import { NODE_DEFINITIONS, registry } from '../../../nodes/index.ts';
import { buildApp } from '../app.ts';
import { serverOptions } from '../config.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = 'pipelines-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const SECRET = 'SENTINEL-outside-the-pipelines-folder';

const dir = mkdtempSync(join(tmpdir(), 'barflow-pipelines-'));
const pipelinesDir = join(dir, 'pipelines');
let app: FastifyInstance;

beforeAll(async () => {
  cpSync(join(ROOT, 'pipelines'), pipelinesDir, { recursive: true });
  symlinkSync(join(ROOT, 'data'), join(dir, 'data'));
  // files a traversal would reach: beside the pipelines folder and at its root
  writeFileSync(join(dir, 'secret.yaml'), `pipeline: secret\n# ${SECRET}\n`);
  writeFileSync(join(pipelinesDir, 'secret.yaml'), `pipeline: secret\n# ${SECRET}\n`);
  const options = { ...serverOptions({}, { BARFLOW_TOKEN: TOKEN }), pipelinesDir, uploadDir: join(dir, 'uploads') };
  ({ app } = await buildApp(options, { registry, definitions: NODE_DEFINITIONS, help: nodeHelp, logger: false }));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const file = (kind: 'canonical' | 'examples' | 'forks', name: string) => join(pipelinesDir, kind, `${name}.yaml`);

/** Every file under the sandbox except the pipelines' own folders, to prove nothing was written outside. */
function strayFiles(): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (path.startsWith(join(pipelinesDir, 'canonical')) || path.startsWith(join(pipelinesDir, 'examples')) || path.startsWith(join(pipelinesDir, 'forks'))) continue;
    out.push(path.slice(dir.length + 1));
  }
  return out.sort();
}

describe('pipeline names never reach outside the pipelines folder', () => {
  const BAD_NAMES = [
    '..%2F..%2Fetc%2Fpasswd',
    '..%2Fsecret',
    '..%2F..%2Fsecret',
    '..%5C..%5Csecret',
    '%2e%2e%2fsecret',
    '%2Fetc%2Fpasswd',
    'consensus.yaml',
    '.consensus',
    'con.sensus',
    'examples%2Fconsensus',
    'Consensus',
    'CONSENSUS',
    'a'.repeat(65),
    'consensus%00',
    '%00',
    'consensus%00.yaml',
    '-consensus',
    'cons%20ensus',
    '..',
    '%2e%2e',
    'a%ZZ',
  ];

  it('GET of a traversal or malformed name is a 4xx with a clear message, never the file', async () => {
    for (const name of BAD_NAMES) {
      const res = await app.inject({ method: 'GET', url: `/api/pipelines/${name}` });
      expect(res.statusCode, name).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, name).toBeLessThan(500);
      expect(res.body, name).not.toContain(SECRET);
      expect(res.body, name).not.toMatch(/root:.*:0:0/);
      const body = res.json() as { error: string; message: string };
      expect(body.message.length, name).toBeGreaterThan(10);
      if (res.statusCode === 422) {
        expect(body.error, name).toBe('pipeline.name');
        expect(body.message, name).toMatch(/is not a pipeline name \(lowercase letters, digits/);
      }
    }
  });

  it('the name rule is exact: 64 characters pass the check (and are simply not found), 65 do not', async () => {
    expect((await app.inject({ url: `/api/pipelines/${'a'.repeat(64)}` })).json().error).toBe('pipeline.not-found');
    expect((await app.inject({ url: `/api/pipelines/${'a'.repeat(65)}` })).json().error).toBe('pipeline.name');
    expect((await app.inject({ url: '/api/pipelines/secret' })).statusCode).toBe(404); // pipelines/secret.yaml is in no kind's folder
  });

  it('validate, fork, save and run refuse the same names', async () => {
    const yaml = readFileSync(file('examples', 'consensus'), 'utf8');
    const validate = await app.inject({ method: 'POST', url: '/api/pipelines/validate', headers: AUTH, payload: { yaml, name: '../../secret' } });
    expect(validate.statusCode).toBe(422);
    expect(validate.json().error).toBe('pipeline.name');
    for (const target of ['../x', '../../x', 'x/../../y', 'X', 'x.yaml', '', 'a'.repeat(65), 'x\u0000']) {
      const fork = await app.inject({ method: 'POST', url: '/api/pipelines/consensus/fork', headers: AUTH, payload: { name: target } });
      expect(fork.statusCode, JSON.stringify(target)).toBe(400);
      expect(fork.json().message, JSON.stringify(target)).toMatch(/pipeline name/);
    }
    const forkFrom = await app.inject({ method: 'POST', url: '/api/pipelines/..%2Fsecret/fork', headers: AUTH, payload: { name: 'stolen' } });
    expect(forkFrom.statusCode).toBe(422);
    const save = await app.inject({ method: 'PUT', url: '/api/pipelines/..%2F..%2Fsecret', headers: AUTH, payload: { yaml: 'pipeline: secret\n' } });
    expect(save.statusCode).toBe(422);
    const run = await app.inject({ method: 'POST', url: '/api/runs', headers: AUTH, payload: { pipeline: '../secret' } });
    expect(run.statusCode).toBe(400);
    expect(readFileSync(join(dir, 'secret.yaml'), 'utf8')).toContain(SECRET);
    expect(existsSync(join(dir, 'x.yaml'))).toBe(false);
    expect(existsSync(join(pipelinesDir, 'x.yaml'))).toBe(false);
    expect(existsSync(file('forks', 'stolen'))).toBe(false);
    expect(strayFiles()).toEqual(['pipelines/secret.yaml', 'secret.yaml']);
  });
});

describe('only forks can be written', () => {
  it('PUT on the canonical or an example is 409 read-only, the file untouched', async () => {
    for (const [kind, name] of [['canonical', 'enygma'], ['examples', 'consensus']] as const) {
      const before = readFileSync(file(kind, name), 'utf8');
      const res = await app.inject({ method: 'PUT', url: `/api/pipelines/${name}`, headers: AUTH, payload: { yaml: before.replace(/period: 14/, 'period: 15') } });
      expect(res.statusCode, name).toBe(409);
      expect(res.json().error, name).toBe('pipeline.read-only');
      expect(res.json().message, name).toMatch(/fork it to change it/);
      expect(readFileSync(file(kind, name), 'utf8'), name).toBe(before);
    }
  });

  it('a save that does not compile is 422 with problems carrying line numbers, and the old file stays', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/pipelines/consensus/fork', headers: AUTH, payload: { name: 'broken-save' } })).statusCode).toBe(201);
    const before = readFileSync(file('forks', 'broken-save'), 'utf8');
    const cases = {
      'YAML syntax': before.replace('nodes:', 'nodes:\n  bad: [unclosed'),
      'unknown node type': before.replace('type: indicator.rsi', 'type: indicator.nope'),
      'bad param': before.replace('params: { period: 14 }', 'params: { period: -3 }'),
    };
    for (const [label, yaml] of Object.entries(cases)) {
      expect(yaml, label).not.toBe(before);
      const res = await app.inject({ method: 'PUT', url: '/api/pipelines/broken-save', headers: AUTH, payload: { yaml } });
      expect(res.statusCode, label).toBe(422);
      const body = res.json() as { ok: boolean; problems: { line?: number; formatted: string }[] };
      expect(body.ok, label).toBe(false);
      expect(body.problems.length, label).toBeGreaterThan(0);
      expect(body.problems.some((p) => typeof p.line === 'number' && p.line > 0), label).toBe(true);
      expect(readFileSync(file('forks', 'broken-save'), 'utf8'), label).toBe(before);
    }
  });

  it('a save that locks the fork or renames it is refused, the old file kept', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/pipelines/consensus/fork', headers: AUTH, payload: { name: 'no-tricks' } })).statusCode).toBe(201);
    const before = readFileSync(file('forks', 'no-tricks'), 'utf8');
    const locked = await app.inject({ method: 'PUT', url: '/api/pipelines/no-tricks', headers: AUTH, payload: { yaml: `${before.replace('pipeline: no-tricks', 'pipeline: no-tricks\nlocked: true')}` } });
    expect(locked.statusCode).toBe(422);
    expect(locked.json().problems[0]).toMatchObject({ code: 'pipeline.locked', field: 'locked' });
    const renamed = await app.inject({ method: 'PUT', url: '/api/pipelines/no-tricks', headers: AUTH, payload: { yaml: before.replace('pipeline: no-tricks', 'pipeline: enygma') } });
    expect(renamed.statusCode).toBe(422);
    expect(renamed.json().problems[0]).toMatchObject({ code: 'pipeline.name', field: 'pipeline' });
    expect(readFileSync(file('forks', 'no-tricks'), 'utf8')).toBe(before);
    expect(readFileSync(file('canonical', 'enygma'), 'utf8')).toBe(readFileSync(join(ROOT, 'pipelines/canonical/enygma.yaml'), 'utf8'));
  });
});

describe('pipelines: list, get, validate, fork, save', () => {
  it('lists the canonical, the examples and the forks with hash and lock flag', async () => {
    const res = await app.inject({ url: '/api/pipelines' });
    expect(res.statusCode).toBe(200);
    const list = res.json() as { name: string; kind: string; locked: boolean; hash: string | null; problems: unknown[] }[];
    expect(list.find((p) => p.name === 'enygma')).toMatchObject({ kind: 'canonical', locked: true, problems: [] });
    expect(list.find((p) => p.name === 'consensus')).toMatchObject({ kind: 'example', locked: false, problems: [] });
    for (const p of list.filter((p) => p.kind !== 'fork')) expect(p.hash, p.name).toMatch(/^[0-9a-f]{64}$/);
    expect(list.some((p) => p.name === 'secret')).toBe(false);
  });

  it('gets the YAML, the compiled graph and the lock status', async () => {
    const canonical = (await app.inject({ url: '/api/pipelines/enygma' })).json();
    expect(canonical.yaml).toBe(readFileSync(file('canonical', 'enygma'), 'utf8'));
    // whether the shipped canonical matches its lock is tests/golden's business; here: the status is reported
    expect(canonical.lock.locked).toBe(true);
    expect(canonical.lock.lockHash).toMatch(/^[0-9a-f]{64}$/);
    expect(canonical.lock.ok).toBe(canonical.lock.problems.length === 0);
    if (canonical.lock.ok) expect(canonical.lock.lockHash).toBe(canonical.hash);
    expect(canonical.nodes.length).toBeGreaterThan(50);
    expect(canonical.groups.length).toBeGreaterThan(0);
    const example = (await app.inject({ url: '/api/pipelines/consensus' })).json();
    expect(example.lock).toMatchObject({ locked: false, lockHash: null });
    const rsi = example.nodes.find((n: { id: string }) => n.id === 'rsi');
    expect(rsi).toMatchObject({ type: 'indicator.rsi', params: { period: 14 } });
    expect(rsi.inputs[0]).toMatchObject({ port: 'source', sources: [{ node: 'bars_1h', port: 'close' }] });
    expect(typeof rsi.line).toBe('number');
    expect((await app.inject({ url: '/api/pipelines/nope' })).statusCode).toBe(404);
  });

  it('validates text: a hash and the graph when it compiles, problems with lines when not', async () => {
    const yaml = readFileSync(file('examples', 'consensus'), 'utf8');
    const good = (await app.inject({ method: 'POST', url: '/api/pipelines/validate', headers: AUTH, payload: { yaml, name: 'consensus' } })).json();
    expect(good).toMatchObject({ ok: true, problems: [] });
    expect(good.hash).toBe((await app.inject({ url: '/api/pipelines/consensus' })).json().hash);
    const bad = await app.inject({ method: 'POST', url: '/api/pipelines/validate', headers: AUTH, payload: { yaml: yaml.replace('in: { source: bars_1h.close }', 'in: { source: nowhere.close }') } });
    expect(bad.statusCode).toBe(200);
    expect(bad.json().ok).toBe(false);
    expect(bad.json().problems[0].line).toBeGreaterThan(1);
    expect((await app.inject({ method: 'POST', url: '/api/pipelines/validate', headers: AUTH, payload: { nope: 1 } })).statusCode).toBe(400);
  });

  it('forks, refuses a taken name, saves the fork and serves the new YAML and hash', async () => {
    const fork = await app.inject({ method: 'POST', url: '/api/pipelines/consensus/fork', headers: AUTH, payload: { name: 'my-consensus' } });
    expect(fork.statusCode).toBe(201);
    expect(fork.json()).toMatchObject({ name: 'my-consensus', kind: 'fork', locked: false, forkedFrom: { name: 'consensus' } });
    expect(existsSync(file('forks', 'my-consensus'))).toBe(true);
    for (const taken of ['my-consensus', 'consensus', 'enygma']) {
      const again = await app.inject({ method: 'POST', url: '/api/pipelines/consensus/fork', headers: AUTH, payload: { name: taken } });
      expect(again.statusCode, taken).toBe(409);
      expect(again.json().error, taken).toBe('fork.exists');
    }
    const before = (await app.inject({ url: '/api/pipelines/my-consensus' })).json();
    expect(before.kind).toBe('fork');
    const yaml = before.yaml.replace('params: { period: 14 }', 'params: { period: 10 }');
    expect(yaml).not.toBe(before.yaml);
    const save = await app.inject({ method: 'PUT', url: '/api/pipelines/my-consensus', headers: AUTH, payload: { yaml } });
    expect(save.statusCode).toBe(200);
    expect(save.json().ok).toBe(true);
    const after = (await app.inject({ url: '/api/pipelines/my-consensus' })).json();
    expect(after.yaml).toBe(yaml);
    expect(after.hash).toBe(save.json().hash);
    expect(after.hash).not.toBe(before.hash);
    expect(after.nodes.find((n: { id: string }) => n.id === 'rsi').params.period).toBe(10);
    // the fork runs (its data path was rewritten for the forks folder)
    const run = await app.inject({ method: 'POST', url: '/api/runs', headers: AUTH, payload: { pipeline: 'my-consensus', to: Date.UTC(2020, 11, 3) } });
    expect(run.statusCode).toBe(201);
    expect(readdirSync(join(ROOT, 'pipelines/forks')).filter((f) => f.startsWith('my-consensus') || f.startsWith('broken-save') || f.startsWith('no-tricks'))).toEqual([]);
  });
});

describe('node types', () => {
  it('lists every type with ports, a params JSON Schema and help', async () => {
    const res = await app.inject({ url: '/api/nodes' });
    expect(res.statusCode).toBe(200);
    const nodes = res.json() as { type: string; inputs: object; outputs: object; params: unknown[]; paramsSchema: { type?: string }; help: string }[];
    expect(nodes.length).toBe(NODE_DEFINITIONS.length);
    for (const n of nodes) {
      expect(n.paramsSchema, n.type).toBeTypeOf('object');
      expect(n.help, n.type).toBeTypeOf('string');
      expect(n.outputs, n.type).toBeTypeOf('object');
    }
    expect(nodes.filter((n) => n.help.length > 0).length).toBeGreaterThan(nodes.length / 2);
    const rsi = (await app.inject({ url: '/api/nodes/indicator.rsi' })).json();
    expect(rsi).toMatchObject({ type: 'indicator.rsi', inputs: { source: expect.any(Object) }, outputs: { value: expect.any(Object) } });
    expect(rsi.paramsSchema.properties.period).toBeDefined();
    expect(rsi.help).toBe(nodeHelp('indicator.rsi'));
    const unknown = await app.inject({ url: '/api/nodes/indicator.nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/no node type "indicator.nope"/);
  });
});
