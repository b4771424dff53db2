/**
 * Text datasets: plain text (one long text, or documents split by a separator line) and
 * JSON lines with one document per record.
 */

import { GpruneError } from '../errors';
import { logger } from '../log';
import { decodeTextBytes } from './decodeText';
import { readJsonRecords } from './jsonl';

const log = logger('data');

export type DatasetFormat = 'text' | 'jsonl';

export interface TextDataset {
  name: string;
  format: DatasetFormat;
  /** Documents in file order, none empty or only whitespace. */
  documents: string[];
  /** Size of the input in bytes. */
  bytes: number;
  /** Problems that did not stop parsing: skipped records, bytes that were not UTF-8. */
  warnings?: string[];
}

export interface DatasetParseOptions {
  /**
   * File format. By default `.jsonl`, `.ndjson` and `.json` names are JSON lines and every
   * other name is plain text.
   */
  format?: DatasetFormat;
  /**
   * Plain text only: a line equal to this string (ignoring surrounding whitespace) ends a
   * document, as in TinyStories. When no line matches, or when this is null, the whole file
   * is one document, as for wikitext and PTB, whose windows run across paragraphs.
   * @default '<|endoftext|>'
   */
  documentSeparator?: string | null;
  /**
   * JSON lines only: field names tried in order. The first one with a string value is the document.
   * @default ['text', 'content', 'story', 'document']
   */
  textFields?: readonly string[];
  /**
   * JSON lines only: skip records that are not JSON objects or lack a text field, with a
   * warning, instead of raising DATASET_BAD_LINE.
   * @default false
   */
  skipBadLines?: boolean;
}

export const DEFAULT_DATASET_PARSE_OPTIONS = {
  documentSeparator: '<|endoftext|>',
  textFields: ['text', 'content', 'story', 'document'],
  skipBadLines: false,
} as const satisfies Omit<Required<DatasetParseOptions>, 'format'>;

const JSON_LINES_EXTENSIONS = ['.jsonl', '.ndjson', '.json'];

/** Raises INVALID_CONFIG naming the first invalid option. */
export function validateDatasetParseOptions(options: DatasetParseOptions): void {
  if (options.format !== undefined && options.format !== 'text' && options.format !== 'jsonl') {
    throw new GpruneError('INVALID_CONFIG', `Dataset format "${String(options.format)}" is invalid. Use "text" or "jsonl".`, {
      details: { format: options.format },
    });
  }
  const separator = options.documentSeparator;
  if (separator !== undefined && separator !== null && (typeof separator !== 'string' || separator.trim() === '')) {
    throw new GpruneError('INVALID_CONFIG', 'documentSeparator must be a non-empty string, or null to keep the whole file as one document.', {
      details: { documentSeparator: separator },
    });
  }
  if (options.skipBadLines !== undefined && typeof options.skipBadLines !== 'boolean') {
    throw new GpruneError('INVALID_CONFIG', `skipBadLines must be true or false, not ${JSON.stringify(options.skipBadLines)}.`, {
      details: { skipBadLines: options.skipBadLines },
    });
  }
  const fields = options.textFields;
  if (fields !== undefined && (!Array.isArray(fields) || fields.length === 0 || fields.some((field) => typeof field !== 'string' || field === ''))) {
    throw new GpruneError('INVALID_CONFIG', 'textFields must be a non-empty list of field names, for example ["text"].', {
      details: { textFields: fields },
    });
  }
}

/** Returns the format implied by the file name: JSON lines for .jsonl, .ndjson and .json, text otherwise. */
export function datasetFormatFromName(name: string): DatasetFormat {
  const lower = name.toLowerCase();
  return JSON_LINES_EXTENSIONS.some((extension) => lower.endsWith(extension)) ? 'jsonl' : 'text';
}

/**
 * Parses dataset bytes into documents. CRLF line endings become LF. Raises DATASET_BINARY for
 * binary input, DATASET_EMPTY when no document has text, and DATASET_BAD_LINE for an invalid
 * JSON lines record unless `skipBadLines` is set.
 */
export function parseDataset(input: { name: string; bytes: Uint8Array }, options: DatasetParseOptions = {}): TextDataset {
  validateDatasetParseOptions(options);
  const { name, bytes } = input;
  const format = options.format ?? datasetFormatFromName(name);

  if (bytes.length === 0) throw emptyDatasetError(name, 'the file has no bytes');
  const decoded = decodeTextBytes(name, bytes);
  if (decoded.text.trim() === '') throw emptyDatasetError(name, 'the file contains only whitespace');

  const warnings = [...decoded.warnings];
  let documents: string[];
  if (format === 'jsonl') {
    const records = readJsonRecords(name, decoded.text, {
      textFields: options.textFields ?? DEFAULT_DATASET_PARSE_OPTIONS.textFields,
      skipBadLines: options.skipBadLines ?? DEFAULT_DATASET_PARSE_OPTIONS.skipBadLines,
    });
    documents = records.documents;
    warnings.push(...records.warnings);
    if (records.emptyRecords > 0) log.debug(`${name}: ${records.emptyRecords} records with empty text were left out`);
    if (documents.length === 0) throw emptyDatasetError(name, 'no record has a non-empty text field');
  } else {
    const separator = options.documentSeparator === undefined ? DEFAULT_DATASET_PARSE_OPTIONS.documentSeparator : options.documentSeparator;
    documents = splitTextDocuments(decoded.text, separator);
    if (documents.length === 0) throw emptyDatasetError(name, `it contains only "${separator}" separator lines`);
  }

  if (warnings.length > 0) {
    log.warn(`${name}: ${warnings.length} warning(s) while parsing; the first: ${warnings[0]}`);
  }
  return { name, format, documents, bytes: bytes.length, ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * Splits text at lines equal to `separator`, trimming blank lines at the ends of each
 * document and leaving out empty documents. Without a separator line the whole text, unchanged,
 * is the only document.
 */
function splitTextDocuments(text: string, separator: string | null): string[] {
  const lines = text.split('\n');
  if (separator === null || !lines.some((line) => line.trim() === separator)) return [text];

  const documents: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const document = trimBlankLines(current).join('\n');
    if (document.trim() !== '') documents.push(document);
    current = [];
  };
  for (const line of lines) {
    if (line.trim() === separator) flush();
    else current.push(line);
  }
  flush();
  return documents;
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === '') start += 1;
  while (end > start && lines[end - 1].trim() === '') end -= 1;
  return lines.slice(start, end);
}

function emptyDatasetError(name: string, reason: string): GpruneError {
  return new GpruneError('DATASET_EMPTY', `${name} is empty: ${reason}. Provide a file with text in it.`, { details: { name } });
}
