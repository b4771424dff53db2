/**
 * Turns failures of worker calls into notices. Cancellation is expected and shown as info.
 */
import { isGpruneError } from '../../core/errors';
import { logger } from '../../core/log';
import { studio } from '../state/store';
import { causeMessageOf, splitNoticeText } from './noticeText';

const log = logger('app');

export function reportError(error: unknown, context: string): void {
  if (isGpruneError(error) && error.code === 'CANCELLED') {
    studio.getState().notify({ kind: 'info', text: `${context} was cancelled.` });
    return;
  }
  const code = isGpruneError(error) ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  log.error(`${context} failed: ${message}`);
  const { text, details } = splitNoticeText(message, causeMessageOf(error));
  studio.getState().notify({ kind: 'error', text: `${context} failed: ${text}`, code, details });
}

export function isCancelled(error: unknown): boolean {
  return isGpruneError(error) && error.code === 'CANCELLED';
}
