/**
 * Share links: the session's settings in the URL hash, restored when the page opens with
 * one. A link never carries weights or text; the model and the user's own datasets are
 * asked for and recognised by their SHA-256.
 */
import { isGpruneError } from '../../core/errors';
import { type SharedLearned, encodeKeepCounts } from '../../core/session/learnedCounts';
import { MAX_SESSION_LINK_CHARS, type SessionLink, type SharedDataset, decodeSessionLink, encodeSessionLink, hasSessionLink } from '../../core/session/shareLink';
import { modelReady } from '../state/sessionSlice';
import { studio } from '../state/store';
import { causeMessageOf, splitNoticeText } from './noticeText';
import { runProfile } from './profile';

function sharedDatasets(ids: string[]): SharedDataset[] {
  const { datasets } = studio.getState();
  return ids.filter((id) => datasets[id]).map((id) => ({ id, builtin: datasets[id].builtin, sha256: datasets[id].sha256 }));
}

/** Builds the link of the current session, or returns null without a model. */
export function buildSessionLink(): SessionLink | null {
  const state = studio.getState();
  if (!state.model) return null;
  return {
    version: 1,
    model: { fingerprint: state.model.fingerprint, label: state.model.label.slice(0, 200), demo: state.model.demo },
    calibration: { datasets: sharedDatasets(state.calibrationIds), samples: state.calibration.samples, seqlen: state.calibration.seqlen, seed: state.calibration.seed, epsilon: state.calibration.epsilon, heldOutFraction: state.calibration.heldOutFraction, heldOutSamples: state.calibration.heldOutSamples },
    evaluation: { datasets: sharedDatasets(state.evaluationIds), seqlen: state.evalSettings.seqlen, maxWindows: state.evalSettings.maxWindows },
    prune: state.settings,
    overrides: state.overrides,
    learned: sharedLearned(),
  };
}

function sharedLearned(): SharedLearned | null {
  const { learned } = studio.getState();
  if (!learned) return null;
  return { keepCounts: encodeKeepCounts(learned.moduleKeepCounts), priorLoss: learned.priorLoss, loss: learned.loss, evaluations: learned.evaluations, stopReason: learned.stopReason };
}

/** A created share link: the full URL, and whether the learned keep counts had to be left out because of the length limit. */
export interface CreatedShareLink {
  url: string;
  learnedLeftOut: boolean;
}

/**
 * Writes the current session's link into the address bar and returns it, or null without a
 * model or when even the link without learned counts is too long (with an error notice).
 * When the learned keep counts push the link over the limit, the link carries the search
 * settings only, and a warning says so.
 */
export function createShareLink(): CreatedShareLink | null {
  const link = buildSessionLink();
  if (!link) return null;
  try {
    let hash = tryEncode(link);
    const learnedLeftOut = hash === null && link.learned !== null;
    if (learnedLeftOut) {
      // Raises the length error when the link is too long even without the learned counts.
      hash = encodeSessionLink({ ...link, learned: null });
      studio.getState().notify({
        kind: 'warning',
        text: `The learned keep counts of ${link.learned!.keepCounts.split(',').length} modules do not fit in a share link of ${MAX_SESSION_LINK_CHARS} characters, so the link carries the search settings only. Opening it gives the prior plan; press "Learn module sparsity" there to search again.`,
      });
    }
    hash ??= encodeSessionLink(link);
    history.replaceState(null, '', `#${hash}`);
    return { url: `${location.origin}${location.pathname}${location.search}#${hash}`, learnedLeftOut };
  } catch (error) {
    if (isGpruneError(error)) {
      studio.getState().notify({ kind: 'error', text: error.message, code: error.code });
      return null;
    }
    throw error;
  }
}

/** Encodes `link`, or returns null when it is over the length limit. */
function tryEncode(link: SessionLink): string | null {
  try {
    return encodeSessionLink(link);
  } catch (error) {
    if (isGpruneError(error) && error.code === 'SHARE_LINK_INVALID') return null;
    throw error;
  }
}

/** Writes the current session's link into the address bar and returns the full URL, or null without a model or when the link is too long. */
export function currentShareUrl(): string | null {
  return createShareLink()?.url ?? null;
}

/** Restores the settings of a link in the address bar. An invalid link gives a notice and changes nothing. */
export function openSharedLinkFromLocation(): void {
  if (!hasSessionLink(location.hash)) return;
  let link: SessionLink;
  try {
    link = decodeSessionLink(location.hash);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const { text, details } = splitNoticeText(message, causeMessageOf(error));
    studio.getState().notify({ kind: 'error', text: `This share link cannot be opened: ${text}`, code: isGpruneError(error) ? error.code : undefined, details });
    return;
  }
  const state = studio.getState();
  state.setSharedLink(link);
  state.setCalibration({ samples: link.calibration.samples, seqlen: link.calibration.seqlen, seed: link.calibration.seed, epsilon: link.calibration.epsilon, heldOutFraction: link.calibration.heldOutFraction, heldOutSamples: link.calibration.heldOutSamples });
  state.setCalibrationIds(link.calibration.datasets.map((d) => d.id));
  state.setEvaluationIds(link.evaluation.datasets.map((d) => d.id));
  state.setEvalSettings({ seqlen: link.evaluation.seqlen, maxWindows: link.evaluation.maxWindows });
  state.setSettings(link.prune);
  state.setPendingOverrides(link.overrides);
  state.setPendingLearned(link.learned);
  state.notify({ kind: 'info', text: `Opened a shared session for model ${link.model.label}. Its settings are restored; provide the files listed in the Share panel.` });
}

/** Lists what a shared session still lacks: whether the model matches, and which datasets are missing. */
export function sharedSessionGaps(state = studio.getState()): { modelMatches: boolean | null; missing: SharedDataset[] } {
  const link = state.sharedLink;
  if (!link) return { modelMatches: null, missing: [] };
  const modelMatches = state.model ? state.model.fingerprint === link.model.fingerprint : null;
  const wanted = [...link.calibration.datasets, ...link.evaluation.datasets];
  const missing = wanted.filter((d) => {
    const present = Object.values(state.datasets).find((s) => s.sha256 === d.sha256);
    return !present;
  });
  return { modelMatches, missing: missing.filter((d, i) => missing.findIndex((m) => m.sha256 === d.sha256) === i) };
}

/**
 * Continues a shared session once its model is loaded. It warns when the fingerprint
 * differs and maps datasets dropped under other names onto the link's ids by hash. When
 * every calibration dataset is present, it profiles, from the cache when possible.
 */
export async function resumeSharedSession(): Promise<void> {
  const state = studio.getState();
  const link = state.sharedLink;
  if (!link || !state.model || !modelReady(state)) return;
  const { modelMatches, missing } = sharedSessionGaps(state);
  if (modelMatches === false) {
    state.notify({ kind: 'warning', text: `The loaded model (fingerprint ${state.model.fingerprint.slice(0, 12)}…) is not the shared one (${link.model.fingerprint.slice(0, 12)}…); the settings may not fit it.` });
  }
  const byHash = (sha: string) => Object.values(state.datasets).find((d) => d.sha256 === sha)?.id;
  state.setCalibrationIds(link.calibration.datasets.map((d) => byHash(d.sha256) ?? d.id));
  state.setEvaluationIds(link.evaluation.datasets.map((d) => byHash(d.sha256) ?? d.id));
  const calibrationMissing = link.calibration.datasets.some((d) => missing.some((m) => m.sha256 === d.sha256));
  if (calibrationMissing || state.profile || state.jobs.profile) return;
  if (missing.length === 0) state.setSharedLink(null);
  await runProfile();
}
