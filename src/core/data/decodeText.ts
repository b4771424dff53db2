/**
 * Decoding of dataset bytes as UTF-8, with a check that rejects binary files before they
 * reach the tokenizer.
 */

import { GpruneError } from '../errors';

/** Number of leading bytes inspected by the binary check. */
export const BINARY_SAMPLE_BYTES = 64 * 1024;

/**
 * Share of suspicious bytes (NUL, other control bytes, bytes of invalid UTF-8 sequences) in
 * the sample above which a file is rejected as binary. UTF-16 text has about 50% NUL bytes
 * and the model and tokenizer binaries tried had over 50%. Latin-1 prose read as UTF-8 has
 * one invalid byte per accented letter, an estimated few percent, so it is decoded with a
 * warning instead.
 */
export const BINARY_SUSPICIOUS_SHARE = 0.1;

export interface DecodedText {
  text: string;
  warnings: string[];
}

interface Utf8Scan {
  invalidBytes: number;
  firstInvalidOffset: number;
  sampleBytes: number;
  sampleSuspicious: number;
}

/**
 * Decodes `bytes` as UTF-8 (a leading byte order mark is dropped) and normalises CRLF line
 * endings to LF. Raises DATASET_BINARY when the first 64 KB, or the 64 KB in the middle or
 * at the end, look binary, and warns when a smaller share of bytes is not valid UTF-8 (those
 * bytes become U+FFFD).
 */
export function decodeTextBytes(name: string, bytes: Uint8Array): DecodedText {
  const knownFormat = recognizeBinaryFormat(bytes);
  if (knownFormat !== null) {
    throw new GpruneError('DATASET_BINARY', `${name} is a ${knownFormat.format} file, not text. ${knownFormat.fix}`, {
      details: { name, format: knownFormat.format },
    });
  }

  const scan = scanUtf8(bytes);
  if (scan.sampleBytes > 0 && scan.sampleSuspicious / scan.sampleBytes > BINARY_SUSPICIOUS_SHARE) {
    const percent = ((100 * scan.sampleSuspicious) / scan.sampleBytes).toFixed(1);
    throw new GpruneError(
      'DATASET_BINARY',
      `${name} looks binary: ${percent}% of its first ${scan.sampleBytes} bytes are NUL, control bytes or invalid UTF-8. ` +
        'Provide a UTF-8 text (.txt) or JSON lines (.jsonl) file; re-save UTF-16 or Latin-1 text as UTF-8.',
      { details: { name, suspiciousShare: scan.sampleSuspicious / scan.sampleBytes } },
    );
  }

  // Files such as an .onnx model start with readable names and keep their binary data further on.
  for (const [from, to] of laterSamples(bytes.length)) {
    const suspicious = countSuspicious(bytes, from, to);
    if (suspicious / (to - from) > BINARY_SUSPICIOUS_SHARE) {
      const percent = ((100 * suspicious) / (to - from)).toFixed(1);
      throw new GpruneError(
        'DATASET_BINARY',
        `${name} looks binary: ${percent}% of its bytes ${from} to ${to} are NUL, control bytes or invalid UTF-8. ` +
          'Provide a UTF-8 text (.txt) or JSON lines (.jsonl) file.',
        { details: { name, suspiciousShare: suspicious / (to - from) } },
      );
    }
  }

  const warnings: string[] = [];
  if (scan.invalidBytes > 0) {
    warnings.push(
      `${name}: ${scan.invalidBytes} ${scan.invalidBytes === 1 ? 'byte is' : 'bytes are'} not valid UTF-8 (the first at byte offset ${scan.firstInvalidOffset}) ` +
        'and were replaced by U+FFFD; re-save the file as UTF-8 to keep those characters.',
    );
  }

  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes).replace(/\r\n/g, '\n');
  return { text, warnings };
}

/** Recognizes common container formats by their magic bytes, so the error message can name the fix. */
function recognizeBinaryFormat(bytes: Uint8Array): { format: string; fix: string } | null {
  const startsWith = (...magic: number[]) => magic.every((value, index) => bytes[index] === value);
  if (startsWith(0x1f, 0x8b)) return { format: 'gzip', fix: 'Decompress it first and provide the .txt or .jsonl inside.' };
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return { format: 'zip', fix: 'Extract it first and provide the .txt or .jsonl inside.' };
  if (startsWith(0x50, 0x41, 0x52, 0x31)) {
    return { format: 'Parquet', fix: 'Export its text column to a .txt or .jsonl file (for example with pandas or the datasets library).' };
  }
  if (startsWith(0x28, 0xb5, 0x2f, 0xfd)) return { format: 'zstd', fix: 'Decompress it first and provide the .txt or .jsonl inside.' };
  return null;
}

/**
 * Counts invalid UTF-8 bytes in the whole input and suspicious bytes in the first
 * BINARY_SAMPLE_BYTES. Tab, LF, VT, FF, CR and ESC are not suspicious.
 */
function scanUtf8(bytes: Uint8Array): Utf8Scan {
  const sampleEnd = Math.min(bytes.length, BINARY_SAMPLE_BYTES);
  let invalidBytes = 0;
  let firstInvalidOffset = -1;
  let sampleSuspicious = 0;

  const markInvalid = (offset: number) => {
    invalidBytes += 1;
    if (firstInvalidOffset < 0) firstInvalidOffset = offset;
    if (offset < sampleEnd) sampleSuspicious += 1;
  };

  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      if (i < sampleEnd && isSuspiciousAscii(lead)) sampleSuspicious += 1;
      i += 1;
      continue;
    }

    const length = sequenceLength(bytes, i);
    if (length === 0) {
      markInvalid(i);
      i += 1;
    } else {
      i += length;
    }
  }
  return { invalidBytes, firstInvalidOffset, sampleBytes: sampleEnd, sampleSuspicious };
}

/** Returns the middle and last BINARY_SAMPLE_BYTES of a file longer than the first sample, as [from, to) ranges that may overlap it. */
function laterSamples(length: number): [number, number][] {
  if (length <= BINARY_SAMPLE_BYTES) return [];
  const middle = Math.floor((length - BINARY_SAMPLE_BYTES) / 2);
  return [
    [middle, middle + BINARY_SAMPLE_BYTES],
    [length - BINARY_SAMPLE_BYTES, length],
  ];
}

/** Suspicious bytes in `bytes[from, to)`; up to 3 continuation bytes at `from` may count as invalid. */
function countSuspicious(bytes: Uint8Array, from: number, to: number): number {
  let suspicious = 0;
  let i = from;
  while (i < to) {
    const lead = bytes[i];
    if (lead < 0x80) {
      if (isSuspiciousAscii(lead)) suspicious += 1;
      i += 1;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length === 0) suspicious += 1;
    i += length || 1;
  }
  return suspicious;
}

function isSuspiciousAscii(byte: number): boolean {
  if (byte === 0x09 || byte === 0x0a || byte === 0x0b || byte === 0x0c || byte === 0x0d || byte === 0x1b) return false;
  return byte < 0x20 || byte === 0x7f;
}

/**
 * Returns the length of the well-formed UTF-8 sequence starting at `start` (2 to 4), or 0
 * when it is not well formed (Unicode table 3-7: no overlong forms, surrogates or values
 * above U+10FFFF). A sequence cut off by the end of the input is not well formed.
 */
function sequenceLength(bytes: Uint8Array, start: number): number {
  const lead = bytes[start];
  let length: number;
  let secondMin = 0x80;
  let secondMax = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) secondMin = 0xa0;
    if (lead === 0xed) secondMax = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) secondMin = 0x90;
    if (lead === 0xf4) secondMax = 0x8f;
  } else {
    return 0;
  }

  if (start + length > bytes.length) return 0;
  const second = bytes[start + 1];
  if (second < secondMin || second > secondMax) return 0;
  for (let k = 2; k < length; k++) {
    const continuation = bytes[start + k];
    if (continuation < 0x80 || continuation > 0xbf) return 0;
  }
  return length;
}
