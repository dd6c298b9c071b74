/**
 * What every ENYGMA entry gate shares (enygma.md §4): the two outputs, the strict flag, and the
 * wording of reasons, so the editor shows each gate's verdict the same way.
 */
import { z } from 'zod';
import type { PortMap } from '../../../engine/core/port-types.ts';

export interface GateOutputs {
  pass: boolean;
  reason: string;
}

export const GATE_OUTPUTS: PortMap = {
  pass: { type: 'bool', help: 'true when this gate lets an entry through' },
  reason: { type: 'text', help: 'one sentence quoting the numbers, "blocked: …" when it blocks' },
};

/** A NaN from the scorer means it is still warming up: no gate may pass on it. */
export const NO_SCORE = 'no score yet';
export const NO_DIRECTION = 'score 0 has no direction';

/** enygma.md §4: strict mode is on by default; the canonical column stays one flag away. */
export function strictFlag() {
  return z.boolean().default(true).describe('true: the strict column of enygma.md §4; false: the canonical column');
}

export function pass(o: GateOutputs, reason: string): true {
  o.pass = true;
  o.reason = reason;
  return true;
}

export function block(o: GateOutputs, reason: string): true {
  o.pass = false;
  o.reason = `blocked: ${reason}`;
  return true;
}

/** Direction of a prospective entry: sign(total), 0 when there is none. */
export function sideOf(total: number): -1 | 0 | 1 {
  return total > 0 ? 1 : total < 0 ? -1 : 0;
}

export function sideName(side: number): string {
  return side > 0 ? 'LONG' : 'SHORT';
}

export function modeName(strict: boolean): string {
  return strict ? 'strict' : 'canonical';
}

/**
 * A number for a reason: at least `minDecimals` places, more (up to 4) only when needed, so a
 * value just under a limit never prints as the limit ("0.899 < 0.90", not "0.90 < 0.90").
 */
export function num(x: number, minDecimals = 0): string {
  const short = x.toFixed(minDecimals);
  if (Number(short) === x) return short;
  const [whole, fraction = ''] = x.toFixed(4).split('.');
  const digits = fraction.replace(/0+$/, '').padEnd(minDecimals, '0');
  return digits === '' ? whole! : `${whole}.${digits}`;
}

/** `≥` or `<` for a reason, matching how the limit was applied. */
export function geq(ok: boolean): string {
  return ok ? '≥' : '<';
}
