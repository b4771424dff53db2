/**
 * Typed access to the fields of one task record. Every error names the record's place
 * (`file line N`) and the field, so a bad line can be found and fixed.
 */
import { GpruneError } from '../../errors';

export type TaskRecord = Record<string, unknown>;

export function badRecord(where: string, problem: string): GpruneError {
  return new GpruneError('DATASET_BAD_LINE', `${where}: ${problem}. Fix or remove that record.`, { details: { where } });
}

export function has(record: TaskRecord, ...keys: string[]): boolean {
  return keys.every((key) => record[key] !== undefined && record[key] !== null);
}

export function stringField(record: TaskRecord, key: string, where: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw badRecord(where, `field "${key}" must be a string, found ${describe(value)}`);
  return value;
}

export function stringListField(record: TaskRecord, key: string, where: string): string[] {
  const value = record[key];
  if (!Array.isArray(value) || value.length === 0 || value.some((entry) => typeof entry !== 'string')) {
    throw badRecord(where, `field "${key}" must be a non-empty list of strings, found ${describe(value)}`);
  }
  return value as string[];
}

/** Reads an integer index, also given as a decimal string ("2") because HF datasets store some labels so. */
export function indexField(record: TaskRecord, key: string, where: string): number {
  const value = record[key];
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw badRecord(where, `field "${key}" must be an integer, found ${describe(value)}`);
  return number;
}

/** Checks that `gold` indexes one of `count` choices. */
export function checkGold(gold: number, count: number, key: string, where: string): number {
  if (gold < 0 || gold >= count) throw badRecord(where, `field "${key}" is ${gold}, but the record has ${count} choices (valid: 0 to ${count - 1})`);
  return gold;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
