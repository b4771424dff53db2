/**
 * Reads a task file (JSON lines in a supported shape, or HellaSwag's six-line text) into
 * rendered items.
 */
import { decodeTextBytes } from '../../data/decodeText';
import { GpruneError } from '../../errors';
import { findTaskTemplate, genericTemplate } from './catalog';
import { type TaskRecord, badRecord } from './fields';
import { parseHellaswagText } from './hellaswag';
import type { TaskItem, TaskKind, ZeroShotTask } from './types';

export interface TaskFile {
  /** Task name: a built-in id or alias (see TASK_TEMPLATES), or any name for LLM Foundry files. */
  task: string;
  /** File name or path, used to pick the format (`.txt` is HellaSwag's text layout) and in messages. */
  file: string;
  bytes: Uint8Array;
}

export interface ParseTaskOptions {
  /** Keep only the first `limit` items, as lm-evaluation-harness's --limit does. */
  limit?: number;
}

/**
 * Parses a task file. Raises DATASET_BAD_LINE naming the file and line of the first invalid
 * record, DATASET_EMPTY when no item remains, and DATASET_BINARY for binary input.
 */
export function parseTask(input: TaskFile, options: ParseTaskOptions = {}): ZeroShotTask {
  const limit = options.limit ?? Infinity;
  if (!(limit >= 1)) throw new GpruneError('INVALID_ARGUMENT', `limit ${limit} is invalid: give a positive number of items, or leave it out for all items.`);
  const template = findTaskTemplate(input.task) ?? genericTemplate(input.task);
  const { text, warnings } = decodeTextBytes(input.file, input.bytes);

  let items: TaskItem[];
  let shape: string;
  let kind: TaskKind = template.kind;
  if (/\.txt$/i.test(input.file)) {
    if (template.id !== 'hellaswag') {
      throw new GpruneError('DATASET_BAD_LINE', `${input.file}: plain-text task files are read only for hellaswag (six lines per task); give task "${input.task}" as a .jsonl file.`, { details: { file: input.file } });
    }
    items = parseHellaswagText(input.file, text, limit);
    shape = 'hellaswag-text';
  } else {
    const read = readRecords(input.file, text, limit, (record, where) => template.fromRecord(record, where));
    items = read.items;
    shape = read.shapes.join('+');
    kind = read.kind ?? kind;
  }

  if (items.length === 0) throw new GpruneError('DATASET_EMPTY', `${input.file} has no items for task ${input.task}. Give a file with one record per line.`, { details: { file: input.file } });
  return { name: template.id, kind, hasAccNorm: kind === 'choice' && template.hasAccNorm, items, shape, template: template.template, warnings };
}

type Convert = (record: TaskRecord, where: string) => { item: TaskItem; shape: string; kind?: TaskKind };

function readRecords(file: string, text: string, limit: number, convert: Convert): { items: TaskItem[]; shapes: string[]; kind?: TaskKind } {
  const items: TaskItem[] = [];
  const shapes = new Set<string>();
  let kind: TaskKind | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length && items.length < limit; index++) {
    if (lines[index].trim() === '') continue;
    const where = `${file} line ${index + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(lines[index]);
    } catch (error) {
      throw badRecord(where, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) throw badRecord(where, 'each line must be one JSON object');
    const converted = convert(record as TaskRecord, where);
    if (converted.kind && kind && converted.kind !== kind) throw badRecord(where, `this record is a ${converted.kind} item but earlier records are ${kind} items; keep one kind per file`);
    kind = converted.kind ?? kind;
    items.push(converted.item);
    shapes.add(converted.shape);
  }
  return { items, shapes: [...shapes], kind };
}
