import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BarflowError, BarflowErrors } from '../core/errors.ts';
import { compilePipelineFile } from '../pipeline/compile.ts';
import { parseOverride } from '../pipeline/overrides.ts';
import { registry } from '../../nodes/index.ts';
import { buildSpec, checkSpecAgainstPlan, parseParamArg, parseSpecObject, rangeValues, readSpecFile, splitList, valueText, readValue } from './spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'barflow-sweep-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** every message of a thrown BarflowError / BarflowErrors, formatted */
function messages(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof BarflowErrors) return error.errors.map((e) => e.format());
    if (error instanceof BarflowError) return [error.format()];
    throw error;
  }
  throw new Error('expected an error');
}

const texts = (arg: string) => parseParamArg(arg).values.map((v) => v.text);

describe('--param ranges', () => {
  it('steps inclusively in exact decimals', () => {
    expect(texts('risk.stopLoss=4:10:2')).toEqual(['4', '6', '8', '10']);
    expect(texts('bullish.threshold=0.1:0.5:0.1')).toEqual(['0.1', '0.2', '0.3', '0.4', '0.5']);
    expect(texts('x.y=0.3:0.9:0.3')).toEqual(['0.3', '0.6', '0.9']);
    expect(texts('x.y=-0.2:0.2:0.1')).toEqual(['-0.2', '-0.1', '0', '0.1', '0.2']);
    expect(texts('x.y=1:2:0.25')).toEqual(['1', '1.25', '1.5', '1.75', '2']);
    expect(texts('x.y=4:9:2')).toEqual(['4', '6', '8']);
    expect(texts('x.y=0.000001:0.000003:0.000001')).toEqual(['0.000001', '0.000002', '0.000003']);
    expect(parseParamArg('bullish.threshold=0.1:0.3:0.1').values.map((v) => v.value)).toEqual([0.1, 0.2, 0.3]);
  });

  it('every range value is the decimal from + k·step, and --set reads its text back to the same number', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 4 }), (from, step, count, scale) => {
        const f = new Decimal(from).div(10 ** scale);
        const s = new Decimal(step).div(10 ** scale);
        const to = f.plus(s.times(count));
        const values = rangeValues('x.y', '--param', f.toFixed(), to.toFixed(), s.toFixed());
        expect(values).toHaveLength(count + 1);
        values.forEach((v, k) => {
          expect(new Decimal(v.text).eq(f.plus(s.times(k)))).toBe(true);
          expect(parseOverride(`x.y=${v.text}`).value).toBe(v.value);
          expect(v.value).toBe(Number(f.plus(s.times(k)).toString()));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses malformed ranges, naming the param and the range', () => {
    expect(messages(() => parseParamArg('risk.stopLoss=4:10'))[0]).toMatch(/node "risk" param "stopLoss".*risk\.stopLoss: range "4:10" needs a step/);
    expect(messages(() => parseParamArg('risk.stopLoss=10:4:1'))[0]).toMatch(/risk\.stopLoss: range 10:4:1 runs backwards/);
    expect(messages(() => parseParamArg('risk.stopLoss=1:4:0'))[0]).toMatch(/risk\.stopLoss: step 0 must be above 0/);
    expect(messages(() => parseParamArg('risk.stopLoss=0:1000000:1'))[0]).toMatch(/risk\.stopLoss: range 0:1000000:1 has 1000001 values, above the limit of 100000/);
    expect(messages(() => parseParamArg('stopLoss=1,2'))[0]).toMatch(/"stopLoss": a swept param is named node_id\.param/);
    expect(messages(() => parseParamArg('risk.stopLoss'))[0]).toMatch(/must look like node_id\.param=from:to:step/);
  });
});

describe('--param lists', () => {
  it('reads each value as YAML, like --set', () => {
    const p = parseParamArg('bars.timeframe=15min,30min,1h');
    expect(p).toMatchObject({ name: 'bars.timeframe', node: 'bars', param: 'timeframe' });
    expect(p.values).toEqual([
      { text: '15min', value: '15min' },
      { text: '30min', value: '30min' },
      { text: '1h', value: '1h' },
    ]);
    expect(parseParamArg('a.b=1, 2.5 ,true,null,text').values.map((v) => v.value)).toEqual([1, 2.5, true, null, 'text']);
    expect(parseParamArg('decision/threshold.strict=true,false').node).toBe('decision/threshold');
    // commas inside flow collections and quotes do not split
    expect(texts('score.weights=[0.3,0.35,0.35],[0.5, 0.25, 0.25]')).toEqual(['[0.3,0.35,0.35]', '[0.5, 0.25, 0.25]']);
    expect(parseParamArg('score.weights=[0.3,0.35,0.35],[0.5, 0.25, 0.25]').values[1]!.value).toEqual([0.5, 0.25, 0.25]);
    expect(parseParamArg(`e.reason="a,b",'c'`).values.map((v) => v.value)).toEqual(['a,b', 'c']);
    expect(splitList('1,[2,{a: 3, b: 4}],"x,y"')).toEqual(['1', '[2,{a: 3, b: 4}]', '"x,y"']);
  });

  it('a value --set reads back identically', () => {
    for (const arg of ['a.b=0.1,0.30,1e-3,-0', 'a.b=true,false,"true"', 'a.b=[1,2],{x: 1}', "a.b='15min',\"a b\""]) {
      for (const v of parseParamArg(arg).values) expect(parseOverride(`a.b=${v.text}`).value).toEqual(v.value);
    }
  });

  it('refuses empty and repeated values', () => {
    expect(messages(() => parseParamArg('risk.stopLoss=1,,2'))[0]).toMatch(/risk\.stopLoss: empty value in "1,,2"/);
    expect(messages(() => parseParamArg('risk.stopLoss=1,2,1.0'))[0]).toMatch(/risk\.stopLoss: value 1\.0 is the same as 1, listed before it/);
    expect(messages(() => parseParamArg('risk.stopLoss='))[0]).toMatch(/risk\.stopLoss: no values/);
  });
});

describe('valueText', () => {
  it('writes values so that YAML reads them back', () => {
    for (const v of [0.1, 1e21, 1e-9, -0, 3, 'hot', 'true', '0.10', 'a,b', 'x: y', '', true, null, [0.3, 0.35], { a: 1, b: [2] }, 'ünïcode']) {
      const t = valueText(v);
      expect(readValue(t)).toEqual(v);
      if (typeof v === 'number') expect(Object.is(readValue(t), v)).toBe(true);
    }
    expect(valueText(0.1)).toBe('0.1');
    expect(valueText('15min')).toBe('15min');
    expect(valueText('true')).toBe('"true"');
    expect(valueText([0.3, 0.35])).toBe('[0.3,0.35]');
  });
});

describe('the YAML spec file', () => {
  it('reads params (ranges and lists), method, objective and walk-forward', () => {
    const file = join(dir, 'sweep.yaml');
    writeFileSync(
      file,
      [
        'params:',
        '  risk.stopLoss: { from: 4, to: 8, step: 2 }',
        '  bullish.threshold: { from: 0.1, to: 0.3, step: 0.1 }',
        '  bars_30m.timeframe: [30min, 1h]',
        '  score.weights: [[0.3, 0.35, 0.35], [0.5, 0.25, 0.25]]',
        'method: genetic',
        'objective: drawdownBoundedReturn',
        'maxDrawdown: 15',
        'seed: 42',
        'population: 12',
        'generations: 5',
        'walkForward: { windows: 4, inSample: 0.4, outOfSample: 2000, holdOut: 0.1 }',
        '',
      ].join('\n'),
    );
    const spec = buildSpec(readSpecFile(file), {});
    expect(spec.params.map((p) => [p.name, p.values.map((v) => v.text)])).toEqual([
      ['risk.stopLoss', ['4', '6', '8']],
      ['bullish.threshold', ['0.1', '0.2', '0.3']],
      ['bars_30m.timeframe', ['30min', '1h']],
      ['score.weights', ['[0.3,0.35,0.35]', '[0.5,0.25,0.25]']],
    ]);
    expect(spec).toMatchObject({ method: 'genetic', objective: 'drawdownBoundedReturn', maxDrawdown: 15, seed: 42, genetic: { population: 12, generations: 5 }, walkForward: { windows: 4, inSample: 0.4, outOfSample: 2000, holdOut: 0.1 } });
    // the command line wins: a param given in both is replaced, options override
    const merged = buildSpec(readSpecFile(file), { params: ['risk.stopLoss=5,7'], method: 'random', samples: '9', seed: '3' });
    expect(merged.params.find((p) => p.name === 'risk.stopLoss')!.values.map((v) => v.text)).toEqual(['5', '7']);
    expect(merged).toMatchObject({ method: 'random', samples: 9, seed: 3, objective: 'drawdownBoundedReturn' });
  });

  it('names the file, the param and the key in its errors', () => {
    const errs = messages(() => parseSpecObject({ method: 'annealing', walkForward: { windows: 0 }, extra: 1 }, 'sweep.yaml'));
    expect(errs).toEqual([
      expect.stringMatching(/^sweep\.yaml: field "method": method: .*"grid".*\[sweep\.spec\]$/),
      expect.stringMatching(/^sweep\.yaml: field "walkForward\.windows": walkForward\.windows: .*>=1 \[sweep\.spec\]$/),
      'sweep.yaml: the spec: unknown key "extra" [sweep.spec]',
    ]);
    expect(messages(() => parseSpecObject({ params: { 'risk.stopLoss': { from: 1, to: 5 } } }, 'sweep.yaml'))[0]).toMatch(/^sweep\.yaml: node "risk" param "stopLoss": params risk\.stopLoss: step: .*expected number/);
    expect(messages(() => parseSpecObject({ params: { 'risk.stopLoss': 'wide' } }, 'sweep.yaml'))[0]).toBe('sweep.yaml: node "risk" param "stopLoss": params risk.stopLoss: expected { from, to, step } or a list of values, got "wide" [sweep.spec]');
    expect(messages(() => parseSpecObject({ params: { "risk.stopLoss": { from: 1, to: 5, step: -1 } } }, "sweep.yaml"))[0]).toBe(`sweep.yaml: node "risk" param "stopLoss": params risk.stopLoss: step -1 must be above 0 [sweep.range]`);
    expect(messages(() => parseSpecObject({ params: { 'risk.stopLoss': [1, 2, 1] } }, 'sweep.yaml'))[0]).toMatch(/node "risk" param "stopLoss".*value 1 is listed twice/);
    expect(messages(() => parseSpecObject({ params: { stopLoss: [1] } }, 'sweep.yaml'))[0]).toMatch(/"stopLoss": a swept param is named node_id\.param/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'params: [\n');
    expect(messages(() => readSpecFile(bad))[0]).toMatch(/bad\.yaml: sweep spec is not valid YAML/);
  });

  it('refuses options that make no sense', () => {
    expect(messages(() => buildSpec(null, {}))[0]).toMatch(/nothing to sweep/);
    expect(messages(() => buildSpec(null, { params: ['a.b=1'], objective: 'sharp' }))[0]).toMatch(/--objective "sharp" is not one of .*\(did you mean "sharpe"\?\)/);
    expect(messages(() => buildSpec(null, { params: ['a.b=1'], inSample: '100' }))[0]).toMatch(/--in-sample needs --walk-forward/);
    expect(messages(() => buildSpec(null, { params: ['a.b=1'], walkForward: '3', holdOut: '1.5' }))[0]).toMatch(/--hold-out "1\.5" must be a fraction/);
    expect(messages(() => buildSpec(null, { params: ['a.b=1'], samples: '0' }))[0]).toMatch(/--samples "0" must be a whole number from 1/);
    expect(messages(() => buildSpec(null, { params: ['a.b=1', 'a.b=2'] }))[0]).toMatch(/--param a\.b is given twice/);
    expect(buildSpec(null, { params: ['a.b=1'] })).toMatchObject({ method: 'grid', objective: 'netReturn', maxDrawdown: 20, seed: 1, samples: 100, walkForward: null });
    expect(buildSpec(null, { params: ['a.b=1'], walkForward: '3' }).walkForward).toEqual({ windows: 3, inSample: undefined, outOfSample: undefined, holdOut: 0.2 });
  });
});

describe('against the pipeline', () => {
  const plan = compilePipelineFile('pipelines/examples/weighted-signals.yaml', registry);
  const check = (...params: string[]) => messages(() => checkSpecAgainstPlan(buildSpec(null, { params }), plan));

  it('accepts valid nodes, params and values', () => {
    expect(() => checkSpecAgainstPlan(buildSpec(null, { params: ['risk.stopLoss=4:10:2', 'bullish.threshold=0.5,0.6', 'bars_30m.timeframe=30min,1h'] }), plan)).not.toThrow();
  });

  it('names an unknown node or param, with a hint', () => {
    expect(check('risks.stopLoss=1,2')[0]).toMatch(/node "risks" param "stopLoss".*--param risks\.stopLoss: weighted-signals has no node "risks" \(did you mean "risk"\?\).*\[sweep\.unknown-node\]/);
    expect(check('risk.stopLos=1,2')[0]).toMatch(/--param risk\.stopLos: risk\.bracket has no param "stopLos" \(did you mean "stopLoss"\?\); known: leverage, marginPct, priceMode, stopLoss, takeProfit \[sweep\.unknown-param\]/);
  });

  it('refuses to sweep the data feed (file, symbol, timeframe): every set of a sweep runs on the one series it loads', () => {
    const errs = check('candles.file=a.csv,b.csv', 'candles.timeframe=5m,15m');
    expect(errs).toHaveLength(2);
    expect(errs[0]).toMatch(/--param candles\.file: candles\.file describes the data, and a sweep runs every set on the one series it loads; sweep each data file on its own \(--data <file>\) \[sweep\.data-param\]/);
    expect(errs[1]).toMatch(/--param candles\.timeframe: candles\.timeframe describes the data.*\[sweep\.data-param\]/);
  });

  it('checks every value against the node schema, naming node.param and the value', () => {
    const errs = check('risk.stopLoss=-1,4,x', 'rsi.period=1,14');
    expect(errs).toHaveLength(3);
    expect(errs[0]).toMatch(/node "risk" param "stopLoss".*--param risk\.stopLoss: value -1 is not valid for risk\.bracket: below the minimum 0/);
    expect(errs[1]).toMatch(/--param risk\.stopLoss: value x is not valid for risk\.bracket: expected number/);
    expect(errs[2]).toMatch(/--param rsi\.period: value 1 is not valid for indicator\.rsi: below the minimum 2/);
  });
});
