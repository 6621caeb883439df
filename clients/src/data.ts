// Apollo resolves `data` as possibly undefined (errors policy, cache misses); a screen wants it or an error.

export function required<T>(data: T | undefined | null, operation: string): T {
  if (data === undefined || data === null) throw new Error(`${operation}: the API answered without data`);
  return data;
}
