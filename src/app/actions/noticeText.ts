/**
 * Splits an error message into the sentence a user reads and the library internals
 * (e.g. a protobuf decoder's "cant skip wire type 4"), which notices show behind a toggle.
 */

/** A notice's text with the internals of its cause moved to `details`. */
export interface NoticeText {
  text: string;
  /** The cause's own message, when it was cut out of `text`; undefined when there was none. */
  details?: string;
}

/**
 * Removes `causeMessage` from `message` where the message quotes it as ": cause" or
 * "(cause)", and returns it as details. A message that does not quote the cause keeps its
 * text, and the cause still becomes details.
 */
export function splitNoticeText(message: string, causeMessage: string | undefined): NoticeText {
  const cause = causeMessage?.trim();
  if (!cause || cause === message.trim()) return { text: message };
  let text = message;
  for (const quoted of [`: ${cause}`, ` (${cause})`, `(${cause})`]) {
    if (text.includes(quoted)) {
      text = text.replace(quoted, '');
      break;
    }
  }
  return { text, details: cause };
}

/** Returns the message of an error's cause: `cause.message`, or the `causeMessage` field the worker's error transfer adds. */
export function causeMessageOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as { cause?: unknown; causeMessage?: unknown };
  if (typeof record.causeMessage === 'string') return record.causeMessage;
  if (record.cause instanceof Error) return record.cause.message;
  return undefined;
}
