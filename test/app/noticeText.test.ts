import { describe, expect, it } from 'vitest';
import { GpruneError } from '../../src/core/errors';
import { parseModelProto } from '../../src/core/onnx/model';
import { causeMessageOf, splitNoticeText } from '../../src/app/actions/noticeText';

/** Deterministic bytes that are not printable text: a linear congruential sequence. */
function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

function parseError(bytes: Uint8Array): unknown {
  try {
    parseModelProto(bytes, 'model.onnx');
  } catch (error) {
    return error;
  }
  throw new Error('parseModelProto accepted the bytes');
}

describe('notice text', () => {
  it('splitNoticeText() moves a quoted cause to details', () => {
    const split = splitNoticeText('model.onnx could not be parsed (not a protobuf: cant skip wire type 4). Export again.', 'cant skip wire type 4');
    expect(split.text).toBe('model.onnx could not be parsed (not a protobuf). Export again.');
    expect(split.details).toBe('cant skip wire type 4');
  });

  it('splitNoticeText() removes a parenthesised cause', () => {
    expect(splitNoticeText('The link is damaged (Unexpected token). Copy it again.', 'Unexpected token').text).toBe('The link is damaged. Copy it again.');
  });

  it('splitNoticeText() keeps a message without a cause', () => {
    expect(splitNoticeText('Out of memory.', undefined)).toEqual({ text: 'Out of memory.' });
    expect(splitNoticeText('Out of memory.', 'Out of memory.')).toEqual({ text: 'Out of memory.' });
  });

  it('causeMessageOf() reads a cause and a transferred causeMessage', () => {
    expect(causeMessageOf(new GpruneError('ONNX_PARSE_FAILED', 'outer', { cause: new Error('inner') }))).toBe('inner');
    expect(causeMessageOf(Object.assign(new Error('outer'), { causeMessage: 'sent' }))).toBe('sent');
    expect(causeMessageOf('text')).toBeUndefined();
  });

  it('parseModelProto() error splits into a hint and protobuf internals', () => {
    const error = parseError(randomBytes(4096));
    const { text, details } = splitNoticeText((error as Error).message, causeMessageOf(error));
    expect(text).not.toContain('text file');
    expect(text).toContain('not an ONNX protobuf');
    expect(details).toBeTruthy();
    expect(text).not.toContain(details!);
  });

  it('parseModelProto() calls printable bytes a text file', () => {
    const error = parseError(new TextEncoder().encode('<!doctype html><html><body>Not found</body></html>\n'.repeat(4)));
    expect((error as Error).message).toContain('text file');
  });
});
