/**
 * The identity of a many-fit run: SHA-256 of the V8 serialisation (the structured clone that also
 * carries the data to the workers: Maps and typed arrays included) of the job module's name, the shared
 * input and the job list. Two runs with the same key compute the same answers, so their results files
 * may be merged (`--resume`) and their queue jobs share ids. Input holding functions (user terms, which
 * run in this thread only) is keyed by a JSON text with each function's source instead.
 */
import { createHash } from 'node:crypto';
import { serialize } from 'node:v8';

function jsonWithFunctions(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'function') return `fn:${String(v)}`;
    if (v instanceof Map) return { map: [...v.entries()] };
    if (ArrayBuffer.isView(v)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<number>) };
    return v;
  });
}

/** Hex SHA-256 of what the run's answers depend on. */
export function runKey(module: string, shared: unknown, jobs: readonly unknown[]): string {
  const what = { module: module.replace(/^.*\/(src|dist)\//, ''), shared, jobs };
  let bytes: Uint8Array | string;
  try {
    bytes = serialize(what);
  } catch {
    bytes = jsonWithFunctions(what);
  }
  return createHash('sha256').update(bytes).digest('hex');
}
