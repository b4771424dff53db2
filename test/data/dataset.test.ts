import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  BINARY_SAMPLE_BYTES,
  datasetFormatFromName,
  DEFAULT_DATASET_PARSE_OPTIONS,
  parseDataset,
  type DatasetParseOptions,
} from '../../src/core/data';
import { GpruneError } from '../../src/core/errors';
import { createRng } from '../../src/core/data';
import { readSharedBytes, readSharedText, SHARED_DIR, TINYSTORIES_PATH, WIKITEXT_TEST_PATH } from './fixtures';

const utf8 = (text: string) => new TextEncoder().encode(text);

function parseText(name: string, text: string, options?: DatasetParseOptions) {
  return parseDataset({ name, bytes: utf8(text) }, options);
}

function catchError(run: () => unknown): GpruneError {
  try {
    run();
  } catch (error) {
    if (error instanceof GpruneError) return error;
    throw error;
  }
  throw new Error('expected a GpruneError');
}

describe('parseDataset text', () => {
  test('splits TinyStories into 100 stories', () => {
    const bytes = readSharedBytes(TINYSTORIES_PATH);
    const dataset = parseDataset({ name: 'validation_100.txt', bytes });
    const separatorLines = readSharedText(TINYSTORIES_PATH).match(/^<\|endoftext\|>$/gm) ?? [];

    expect(separatorLines.length).toBe(100);
    expect(dataset.format).toBe('text');
    expect(dataset.documents.length).toBe(100);
    expect(dataset.bytes).toBe(bytes.length);
    expect(dataset.warnings).toBeUndefined();
    for (const story of dataset.documents) {
      expect(story).not.toContain('<|endoftext|>');
      expect(story).toBe(story.trim());
    }
    expect(dataset.documents[1].startsWith('Once upon a time, in a warm and sunny place')).toBe(true);
    expect(dataset.documents[99].endsWith('and Max stayed sad.')).toBe(true);
  });

  test('keeps wikitext as one unchanged document', () => {
    const dataset = parseDataset({ name: 'wiki.test.raw', bytes: readSharedBytes(WIKITEXT_TEST_PATH) });
    expect(dataset.format).toBe('text');
    expect(dataset.documents).toEqual([readSharedText(WIKITEXT_TEST_PATH)]);
  });

  test('documentSeparator null keeps separator lines in one document', () => {
    const text = 'first story\n<|endoftext|>\nsecond story\n';
    expect(parseText('s.txt', text, { documentSeparator: null }).documents).toEqual([text]);
  });

  test('splits on a custom separator line only', () => {
    const text = 'a one\n---\nb two --- inline\n  ---  \nc three';
    expect(parseText('s.txt', text, { documentSeparator: '---' }).documents).toEqual(['a one', 'b two --- inline', 'c three']);
  });

  test('drops blank documents and trims blank edge lines', () => {
    const text = '\n\nfirst\n\n<|endoftext|>\n<|endoftext|>\n \n  second line\nthird\n\n<|endoftext|>\n';
    expect(parseText('s.txt', text).documents).toEqual(['first', '  second line\nthird']);
  });

  test('normalises CRLF line endings', () => {
    const text = 'alpha\r\nbeta\r\n<|endoftext|>\r\ngamma\r\n';
    expect(parseText('s.txt', text).documents).toEqual(['alpha\nbeta', 'gamma']);
  });

  test('drops a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('hello')]);
    expect(parseDataset({ name: 'bom.txt', bytes }).documents).toEqual(['hello']);
  });

  test('format option overrides the extension', () => {
    const dataset = parseText('records.txt', '{"text": "from json"}\n', { format: 'jsonl' });
    expect(dataset.format).toBe('jsonl');
    expect(dataset.documents).toEqual(['from json']);
  });
});

describe('datasetFormatFromName', () => {
  test('maps extensions to formats', () => {
    const cases: [string, string][] = [
      ['train.jsonl', 'jsonl'],
      ['TRAIN.JSONL', 'jsonl'],
      ['data.json', 'jsonl'],
      ['data.ndjson', 'jsonl'],
      ['wiki.test.raw', 'text'],
      ['ptb.test.txt', 'text'],
      ['wiki.valid.tokens', 'text'],
      ['README', 'text'],
    ];
    for (const [name, format] of cases) expect(datasetFormatFromName(name), name).toBe(format);
  });
});

describe('parseDataset jsonl', () => {
  test('reads the first string field in order', () => {
    const lines = [
      '{"text": "from text", "content": "not this"}',
      '',
      '{"content": "from content"}',
      '{"story": "from story", "id": 3}',
      '{"document": "from document"}',
      '{"text": 5, "content": "text is not a string"}',
      '   ',
    ];
    const dataset = parseText('records.jsonl', lines.join('\n'));
    expect(dataset.format).toBe('jsonl');
    expect(dataset.documents).toEqual(['from text', 'from content', 'from story', 'from document', 'text is not a string']);
  });

  test('keeps line breaks inside a text field', () => {
    const dataset = parseText('records.jsonl', JSON.stringify({ text: 'line one\n\nline two' }));
    expect(dataset.documents).toEqual(['line one\n\nline two']);
  });

  test('textFields selects the field of a real LLM Foundry file', () => {
    const file = path.join(SHARED_DIR, 'assets/llm-foundry-eval/lambada_openai.jsonl');
    const records = readSharedText(file)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { context: string });
    const dataset = parseDataset({ name: 'lambada_openai.jsonl', bytes: readSharedBytes(file) }, { textFields: ['context'] });
    expect(dataset.documents.length).toBe(records.length);
    expect(dataset.documents[0]).toBe(records[0].context);
  });

  test('reads a JSON array of records', () => {
    const dataset = parseText('records.json', JSON.stringify([{ text: 'one' }, { content: 'two' }]));
    expect(dataset.documents).toEqual(['one', 'two']);
  });

  test('leaves out records with empty text', () => {
    const dataset = parseText('records.jsonl', '{"text": ""}\n{"text": "kept"}\n{"text": "  "}');
    expect(dataset.documents).toEqual(['kept']);
  });

  test('invalid JSON raises DATASET_BAD_LINE with file and line', () => {
    const error = catchError(() => parseText('train.jsonl', '{"text": "ok"}\n\n{"text": "unterminated\n'));
    expect(error.code).toBe('DATASET_BAD_LINE');
    expect(error.message).toMatch(/train\.jsonl line 3/);
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).toMatch(/skipBadLines/);
    expect(error.details?.line).toBe(3);
  });

  test('a record without a text field raises DATASET_BAD_LINE', () => {
    const error = catchError(() => parseText('eval.jsonl', '{"text": "ok"}\n{"context": "c", "continuation": "d"}'));
    expect(error.code).toBe('DATASET_BAD_LINE');
    expect(error.message).toMatch(/eval\.jsonl line 2/);
    expect(error.message).toMatch(/context, continuation/);
    expect(error.message).toMatch(/textFields/);
  });

  test('a line that is not an object raises DATASET_BAD_LINE', () => {
    const error = catchError(() => parseText('eval.jsonl', '"just a string"'));
    expect(error.code).toBe('DATASET_BAD_LINE');
    expect(error.message).toMatch(/line 1 is not a JSON object/);
  });

  test('skipBadLines collects a warning per bad line', () => {
    const text = ['{"text": "first"}', 'not json', '{"text": "second"}', '[1, 2]', '{"title": "no text"}'].join('\n');
    const dataset = parseText('mixed.jsonl', text, { skipBadLines: true });
    expect(dataset.documents).toEqual(['first', 'second']);
    expect(dataset.warnings?.length).toBe(3);
    expect(dataset.warnings?.[0]).toMatch(/mixed\.jsonl line 2/);
    expect(dataset.warnings?.[1]).toMatch(/line 4/);
    expect(dataset.warnings?.[2]).toMatch(/line 5/);
  });

  test('only bad lines with skipBadLines raise DATASET_EMPTY', () => {
    const error = catchError(() => parseText('bad.jsonl', 'nope\nstill nope', { skipBadLines: true }));
    expect(error.code).toBe('DATASET_EMPTY');
  });
});

describe('parseDataset empty input', () => {
  const cases: [string, Uint8Array, DatasetParseOptions?][] = [
    ['empty.txt', new Uint8Array(0)],
    ['blank.txt', utf8(' \n\t\n  ')],
    ['blank.jsonl', utf8('\n\n')],
    ['empty-texts.jsonl', utf8('{"text": ""}\n{"text": " "}')],
    ['separators.txt', utf8('<|endoftext|>\n\n<|endoftext|>\n')],
  ];
  for (const [name, bytes, options] of cases) {
    test(`${name} raises DATASET_EMPTY`, () => {
      const error = catchError(() => parseDataset({ name, bytes }, options));
      expect(error.code).toBe('DATASET_EMPTY');
      expect(error.message).toContain(name);
    });
  }
});

describe('parseDataset binary input', () => {
  test('a model checkpoint raises DATASET_BINARY', () => {
    const bytes = readSharedBytes(path.join(SHARED_DIR, 'assets/stories260K/stories260K.bin'));
    const error = catchError(() => parseDataset({ name: 'stories260K.bin', bytes }));
    expect(error.code).toBe('DATASET_BINARY');
    expect(error.message).toMatch(/stories260K\.bin/);
    expect(error.message).toMatch(/UTF-8/);
  });

  test('UTF-16 text raises DATASET_BINARY', () => {
    const text = 'Once upon a time there was a text saved as UTF-16.\n'.repeat(20);
    const bytes = new Uint8Array(text.length * 2 + 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) bytes[2 + 2 * i] = text.charCodeAt(i);
    expect(catchError(() => parseDataset({ name: 'utf16.txt', bytes })).code).toBe('DATASET_BINARY');
  });

  test('random bytes raise DATASET_BINARY', () => {
    const random = createRng(7);
    const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
    expect(catchError(() => parseDataset({ name: 'noise.jsonl', bytes })).code).toBe('DATASET_BINARY');
  });

  test('gzip data is named in the message', () => {
    const bytes = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, ...utf8('rest')]);
    const error = catchError(() => parseDataset({ name: 'train.jsonl.gz', bytes }));
    expect(error.code).toBe('DATASET_BINARY');
    expect(error.message).toMatch(/gzip/);
    expect(error.message).toMatch(/Decompress/);
  });

  test('binary data after the first 64 KB is not checked', () => {
    const text = utf8('a'.repeat(BINARY_SAMPLE_BYTES) + '\n');
    const bytes = new Uint8Array(text.length + 100);
    bytes.set(text);
    const dataset = parseDataset({ name: 'late-binary.txt', bytes });
    expect(dataset.documents.length).toBe(1);
  });

  test('a few Latin-1 bytes give a warning, not an error', () => {
    const prefix = utf8('Un caf');
    const suffix = utf8(' au bord de la mer, avec une longue phrase en fran\u00e7ais correct.\n');
    const bytes = new Uint8Array([...prefix, 0xe9, ...suffix]);
    const dataset = parseDataset({ name: 'latin1.txt', bytes });
    expect(dataset.documents[0]).toContain('Un caf\ufffd au bord');
    expect(dataset.warnings?.length).toBe(1);
    expect(dataset.warnings?.[0]).toMatch(/latin1\.txt: 1 byte is not valid UTF-8/);
    expect(dataset.warnings?.[0]).toMatch(new RegExp(`offset ${prefix.length}`));
  });

  test('multi-byte UTF-8 is not counted as invalid', () => {
    const dataset = parseText('unicode.txt', 'Zoë’s café: 東京 🚀 naïve — ok');
    expect(dataset.warnings).toBeUndefined();
    expect(dataset.documents).toEqual(['Zoë’s café: 東京 🚀 naïve — ok']);
  });
});

describe('validateDatasetParseOptions', () => {
  test('defaults are the documented ones', () => {
    expect(DEFAULT_DATASET_PARSE_OPTIONS).toEqual({
      documentSeparator: '<|endoftext|>',
      textFields: ['text', 'content', 'story', 'document'],
      skipBadLines: false,
    });
  });

  const invalid: [string, DatasetParseOptions][] = [
    ['format', { format: 'csv' as never }],
    ['empty separator', { documentSeparator: '  ' }],
    ['empty textFields', { textFields: [] }],
    ['blank field name', { textFields: ['text', ''] }],
    ['skipBadLines string', { skipBadLines: 'yes' as never }],
  ];
  for (const [label, options] of invalid) {
    test(`${label} raises INVALID_CONFIG`, () => {
      expect(catchError(() => parseText('x.txt', 'text', options)).code).toBe('INVALID_CONFIG');
    });
  }
});
