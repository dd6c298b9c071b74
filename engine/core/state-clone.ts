/**
 * Node state is plain data. Snapshots deep-copy objects, arrays and typed arrays; any other object
 * (decimal.js values in the venue) is immutable by contract and kept by reference.
 */
export function cloneState<T>(value: T): T {
  return cloneValue(value) as T;
}

function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneValue);
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = cloneValue((value as Record<string, unknown>)[key]);
  return copy;
}
