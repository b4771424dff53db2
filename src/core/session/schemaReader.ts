/**
 * Small readers that check untrusted JSON (share links) field by field. Each raises
 * SHARE_LINK_INVALID naming the field path, the value found and what was expected.
 */
import { GpruneError } from '../errors';

/** Checks one value at `path` (e.g. `link.prune.sparsity`) and returns it typed. */
export type Reader<T> = (value: unknown, path: string) => T;

export interface ObjectReader {
  /** Reads the own property `key` with `reader`; a missing key is reported as missing. */
  get<T>(key: string, reader: Reader<T>): T;
}

/** Describes a field's value for a message, cut to 40 characters. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function fail(path: string, value: unknown, expected: string): never {
  throw new GpruneError('SHARE_LINK_INVALID', `Session link field ${path} is ${describeValue(value)}; expected ${expected}.`);
}

export function readObject(value: unknown, path: string): ObjectReader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, value, 'an object');
  const record = value as Record<string, unknown>;
  return {
    get<T>(key: string, reader: Reader<T>): T {
      const present = Object.prototype.hasOwnProperty.call(record, key);
      return reader(present ? record[key] : undefined, `${path}.${key}`);
    },
  };
}

export function readNumber(value: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(path, value, `a number in [${min}, ${max}]`);
  return value;
}

export function readInteger(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(path, value, `an integer in [${min}, ${max}]`);
  return value;
}

export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, value, 'true or false');
  return value;
}

export function readString(value: unknown, path: string, options: { maxLength?: number; pattern?: RegExp; expected?: string } = {}): string {
  const { maxLength = 1000, pattern, expected = `a string of at most ${maxLength} characters` } = options;
  if (typeof value !== 'string' || value.length > maxLength || (pattern && !pattern.test(value))) fail(path, value, expected);
  return value;
}

export function readOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(path, value, `one of ${allowed.join(', ')}`);
  return value as T;
}

export function readList<T>(value: unknown, path: string, reader: Reader<T>, maxLength: number): T[] {
  if (!Array.isArray(value) || value.length > maxLength) fail(path, value, `a list of at most ${maxLength} entries`);
  return value.map((entry, i) => reader(entry, `${path}[${i}]`));
}
