/**
 * Keeps GpruneError's `code`, `details` and its cause's message (as `causeMessage`) when comlink sends a thrown error to the page.
 * comlink's own handler copies only name, message and stack; the page then rebuilds an
 * Error carrying `code`, which `isGpruneError` recognises.
 */
import * as Comlink from 'comlink';
import { isGpruneError } from '../../src/core/errors';

export function installErrorTransfer(): void {
  const original = Comlink.transferHandlers.get('throw')!;
  Comlink.transferHandlers.set('throw', {
    canHandle: original.canHandle,
    serialize(thrown) {
      const [serialized, transfers] = original.serialize(thrown) as [{ isError: boolean; value: Record<string, unknown> }, Transferable[]];
      const error = (thrown as { value: unknown }).value;
      if (serialized.isError && isGpruneError(error)) {
        serialized.value.code = error.code;
        serialized.value.details = cloneableDetails(error.details);
        // The page shows the cause (often a library's internal message) behind a "details" toggle.
        if (error.cause instanceof Error) serialized.value.causeMessage = error.cause.message;
      }
      return [serialized, transfers];
    },
    deserialize: original.deserialize,
  });
}

function cloneableDetails(details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!details) return undefined;
  try {
    return structuredClone(details);
  } catch {
    return undefined;
  }
}
