export const COMPARE_OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

/**
 * `a op b` for finite-or-NaN numbers. NaN is "no value yet", so it makes every op false — including
 * `!=`, which IEEE would make true.
 */
export function compareValues(op: CompareOp, a: number, b: number): boolean {
  if (a !== a || b !== b) return false;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}
