/**
 * Extraction of documents from JSON lines (one JSON object per line) or from a JSON array
 * of objects.
 */

import { GpruneError } from '../errors';

export interface JsonRecordsOptions {
  /** Field names tried in order. The first one whose value is a string is the document. */
  textFields: readonly string[];
  /** Skip invalid records with a warning instead of raising DATASET_BAD_LINE. */
  skipBadLines: boolean;
}

export interface JsonRecords {
  documents: string[];
  warnings: string[];
  /** Number of records left out of `documents` because their text was empty or only whitespace. */
  emptyRecords: number;
}

/**
 * Reads one document per record. Blank lines are skipped. A whole text that parses as a JSON
 * array is read as one record per element, named "item N" in messages.
 */
export function readJsonRecords(name: string, text: string, options: JsonRecordsOptions): JsonRecords {
  const result: JsonRecords = { documents: [], warnings: [], emptyRecords: 0 };
  const arrayItems = parseJsonArray(text);

  if (arrayItems !== null) {
    arrayItems.forEach((item, index) => addRecord(name, `item ${index + 1}`, item, null, options, result));
    return result;
  }

  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `line ${index + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      const reason = `is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
      reportBadRecord(name, where, index + 1, reason, options, result);
      return;
    }
    addRecord(name, where, record, index + 1, options, result);
  });
  return result;
}

function parseJsonArray(text: string): unknown[] | null {
  if (!text.trimStart().startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : null;
  } catch {
    // Not one JSON document, so it is read line by line and each bad line is reported.
    return null;
  }
}

function addRecord(name: string, where: string, record: unknown, line: number | null, options: JsonRecordsOptions, result: JsonRecords): void {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    reportBadRecord(name, where, line, `is not a JSON object (found ${Array.isArray(record) ? 'an array' : typeof record})`, options, result);
    return;
  }

  const fields = record as Record<string, unknown>;
  const field = options.textFields.find((key) => typeof fields[key] === 'string');
  if (field === undefined) {
    const present = Object.keys(fields).slice(0, 8).join(', ') || 'none';
    const reason = `has no string field among ${options.textFields.join(', ')} (fields present: ${present}); set textFields to the field that holds the text`;
    reportBadRecord(name, where, line, reason, options, result);
    return;
  }

  const document = fields[field] as string;
  if (document.trim() === '') {
    result.emptyRecords += 1;
    return;
  }
  result.documents.push(document);
}

function reportBadRecord(
  name: string,
  where: string,
  line: number | null,
  reason: string,
  options: JsonRecordsOptions,
  result: JsonRecords,
): void {
  const message = `${name} ${where} ${reason}.`;
  if (options.skipBadLines) {
    result.warnings.push(`${message} The record was skipped.`);
    return;
  }
  throw new GpruneError('DATASET_BAD_LINE', `${message} Fix or remove that record, or set skipBadLines to skip invalid records.`, {
    details: { name, where, line },
  });
}
