import { describe, expect, it } from 'vitest';
import { buildParams, describeParam, listText, niceStep, parseList, parseRange, rangeCount, rangePreview, readValue, setsToRun, splitList, suggestDraft, type ParamDraft, type ParamInfo } from './param-range.ts';

const RSI: ParamInfo = { name: 'period', type: 'integer', default: 14, minimum: 2, maximum: 10000 };
const STOP: ParamInfo = { name: 'stopLoss', type: 'number', default: 6, minimum: 0 };
const MODE: ParamInfo = { name: 'priceMode', type: '"roi" | "multiplier"', default: 'roi', enum: ['roi', 'multiplier'] };

const draft = (over: Partial<ParamDraft>): ParamDraft => ({ key: 1, node: 'rsi', param: 'period', mode: 'range', from: '', to: '', step: '', list: '', ...over });

describe('ranges', () => {
  it('counts inclusive ranges in exact decimal steps', () => {
    expect(rangeCount('0.1', '0.5', '0.1')).toBe(5);
    expect(rangeCount('0.97', '0.99', '0.01')).toBe(3);
    expect(rangeCount('10', '20', '5')).toBe(3);
    expect(rangeCount('10', '21', '5')).toBe(3);
    expect(rangeCount('1', '1', '1')).toBe(1);
    expect(rangeCount('2', '1', '1')).toBe(0);
    expect(rangeCount('1e-3', '3e-3', '1e-3')).toBe(3);
    expect(rangePreview('0.1', '0.5', '0.1')).toEqual(['0.1', '0.2', '0.3', '0.4', '0.5']);
    expect(rangePreview('0.97', '0.99', '0.01')).toEqual(['0.97', '0.98', '0.99']);
  });

  it('parses from/to/step, refusing what the server would refuse, with the reason', () => {
    expect(parseRange('10', '20', '2', RSI)).toEqual({ ok: true, value: { from: 10, to: 20, step: 2 }, count: 6 });
    expect(parseRange('', '20', '2')).toEqual({ ok: false, error: 'give from, to and step' });
    expect(parseRange('a', '20', '2')).toEqual({ ok: false, error: 'from "a" is not a number' });
    expect(parseRange('1', '2', '0')).toEqual({ ok: false, error: 'step must be above 0' });
    expect(parseRange('5', '2', '1')).toEqual({ ok: false, error: 'from must be at most to' });
    expect(parseRange('1', '20', '1', RSI)).toEqual({ ok: false, error: '1 is below the minimum 2' });
    expect(parseRange('9990', '10010', '10', RSI)).toEqual({ ok: false, error: '10010 is above the maximum 10000' });
    // the last value reached, not `to`, is checked
    expect(parseRange('9980', '10005', '10', RSI).ok).toBe(true);
    expect(parseRange('10', '20', '0.5', RSI)).toEqual({ ok: false, error: 'period takes whole numbers: use a whole from and step' });
    expect(parseRange('0', '2000', '1')).toEqual({ ok: false, error: '2,001 values: at most 1000 per param' });
  });
});

describe('lists', () => {
  it('splits at top-level commas and reads each value as YAML, as --param does', () => {
    expect(splitList('1, [2, 3], "a,b", {x: 1}')).toEqual(['1', '[2, 3]', '"a,b"', '{x: 1}']);
    expect(readValue('14')).toBe(14);
    expect(readValue('true')).toBe(true);
    expect(readValue('15min')).toBe('15min');
    expect(readValue('[0.5, 0.5]')).toEqual([0.5, 0.5]);
    expect(parseList('14, 21, 28', RSI)).toEqual({ ok: true, value: [14, 21, 28], count: 3 });
    expect(parseList('roi, multiplier', MODE)).toEqual({ ok: true, value: ['roi', 'multiplier'], count: 2 });
    expect(parseList('[0.3, 0.7], [0.5, 0.5]')).toEqual({ ok: true, value: [[0.3, 0.7], [0.5, 0.5]], count: 2 });
  });

  it('refuses empty items, duplicates, out-of-bounds and fractional integers', () => {
    expect(parseList('')).toEqual({ ok: false, error: 'give values, separated by commas' });
    expect(parseList('1,,2')).toEqual({ ok: false, error: 'an empty value between commas' });
    expect(parseList('14, 14.0', RSI)).toEqual({ ok: false, error: '14.0 is listed twice' });
    expect(parseList('1, 14', RSI)).toEqual({ ok: false, error: '1 is below the minimum 2' });
    expect(parseList('14.5', RSI)).toEqual({ ok: false, error: 'period takes whole numbers, not 14.5' });
  });

  it('writes values back as list text that reads back to them', () => {
    for (const v of ['roi', '15min', 'a,b', 'true', '', 14, 0.5, true, [1, 2], { a: 1 }]) expect(readValue(listText(v))).toEqual(v);
  });
});

describe('the request params', () => {
  it('builds name → range or list, with one error per draft and the grid size', () => {
    const infos: Record<string, ParamInfo> = { 'rsi.period': RSI, 'risk.stopLoss': STOP, 'risk.priceMode': MODE };
    const built = buildParams(
      [draft({ from: '10', to: '20', step: '5' }), draft({ key: 2, node: 'risk', param: 'stopLoss', mode: 'list', list: '4, 6' }), draft({ key: 3, node: 'rsi', param: 'period', mode: 'list', list: '7' }), draft({ key: 4, node: '', param: '' })],
      (d) => infos[`${d.node}.${d.param}`],
    );
    expect(built.params).toEqual({ 'rsi.period': { from: 10, to: 20, step: 5 }, 'risk.stopLoss': [4, 6] });
    expect(built.errors).toEqual([null, null, 'rsi.period is swept twice', 'choose a node and a param']);
    expect(built.gridSize).toBe(6);
    expect(buildParams([], () => undefined).gridSize).toBe(0);
  });

  it('counts the sets each method runs', () => {
    expect(setsToRun(120, 'grid', 10, 20, 10)).toBe(120);
    expect(setsToRun(120, 'random', 10, 20, 10)).toBe(10);
    expect(setsToRun(120, 'random', 500, 20, 10)).toBe(120);
    expect(setsToRun(1000, 'genetic', 10, 20, 10)).toBe(200);
  });

  it('describes a param: type, current value, default and bounds', () => {
    expect(describeParam(RSI, 21)).toBe('integer · now 21 · default 14 · min 2 · max 10000');
    expect(describeParam(MODE, 'multiplier')).toBe('"roi" | "multiplier" · now multiplier · default roi · one of roi, multiplier');
    expect(describeParam(undefined, 1)).toBe('');
  });

  it('suggests five values around the current one, inside the bounds', () => {
    expect(niceStep(0.0485)).toBe(0.05);
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(3)).toBe(5);
    expect(suggestDraft(1, 'rsi', RSI, 14)).toMatchObject({ param: 'period', mode: 'range', from: '12', to: '16', step: '1' });
    expect(suggestDraft(1, 'rsi', RSI, 3)).toMatchObject({ from: '2', to: '5', step: '1' });
    expect(suggestDraft(1, 'risk', STOP, 0.97)).toMatchObject({ mode: 'range', from: '0.87', to: '1.07', step: '0.05' });
    expect(suggestDraft(1, 'risk', MODE, 'roi')).toMatchObject({ mode: 'list', list: 'roi, multiplier' });
    expect(suggestDraft(1, 'x', { name: 'flag', type: 'boolean' }, true)).toMatchObject({ mode: 'list', list: 'true, false' });
  });
});
