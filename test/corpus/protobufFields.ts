/**
 * A minimal protobuf wire-format walker: the byte ranges of a message's fields, so tests
 * can cut files at field boundaries and rewrite length prefixes.
 */

/** One field of a message: its tag, and where its key, payload and end lie in the buffer. */
export interface WireField {
  field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wireType: number;
  /** Offset of the key (tag varint). */
  start: number;
  /** Offset of the length prefix (length-delimited fields only). */
  lengthStart: number;
  /** Offset of the payload. */
  dataStart: number;
  /** Offset just past the field. */
  end: number;
}

/** Reads a varint at `offset`; returns its value and the offset after it. */
export function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let i = offset;
  for (;;) {
    if (i >= bytes.length) throw new RangeError(`varint at ${offset} runs past the end`);
    const b = bytes[i++];
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return { value, next: i };
  }
}

export function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** Lists the fields of the message in `bytes[from, to)`. Raises RangeError on malformed input. */
export function wireFields(bytes: Uint8Array, from = 0, to = bytes.length): WireField[] {
  const fields: WireField[] = [];
  let offset = from;
  while (offset < to) {
    const key = readVarint(bytes, offset);
    const field = Math.floor(key.value / 8);
    const wireType = key.value % 8;
    let lengthStart = key.next;
    let dataStart = key.next;
    let end: number;
    if (wireType === 0) end = readVarint(bytes, key.next).next;
    else if (wireType === 1) end = key.next + 8;
    else if (wireType === 5) end = key.next + 4;
    else if (wireType === 2) {
      const length = readVarint(bytes, key.next);
      lengthStart = key.next;
      dataStart = length.next;
      end = length.next + length.value;
    } else throw new RangeError(`unsupported wire type ${wireType} at ${offset}`);
    if (end > to) throw new RangeError(`field ${field} at ${offset} runs past the end`);
    fields.push({ field, wireType, start: offset, lengthStart, dataStart, end });
    offset = end;
  }
  return fields;
}

/** Replaces the length prefix of a length-delimited field; the payload bytes stay as they are. */
export function withLength(bytes: Uint8Array, f: WireField, length: number): Uint8Array {
  const prefix = encodeVarint(length);
  const out = new Uint8Array(bytes.length - (f.dataStart - f.lengthStart) + prefix.length);
  out.set(bytes.subarray(0, f.lengthStart), 0);
  out.set(prefix, f.lengthStart);
  out.set(bytes.subarray(f.dataStart), f.lengthStart + prefix.length);
  return out;
}
