import { useState } from 'react';
import { loadDemoModel } from '../actions/model';
import { type CreatedShareLink, createShareLink, sharedSessionGaps } from '../actions/share';
import { useInvalidFieldsReason } from '../state/fieldValidity';
import { useStudio } from '../state/store';

/** Renders step 8: the session's settings as a link and, for a page opened from a link, what it still needs. */
export function SharePanel() {
  const model = useStudio((s) => s.model);
  const invalidReason = useInvalidFieldsReason('calibration', 'evaluation', 'prune');
  const [created, setCreated] = useState<CreatedShareLink | null>(null);
  const [copied, setCopied] = useState(false);

  const share = async () => {
    const next = createShareLink();
    setCreated(next);
    setCopied(false);
    if (!next) return;
    try {
      await navigator.clipboard.writeText(next.url);
      setCopied(true);
    } catch {
      // Clipboard access may be denied; the link stays selectable in the field.
    }
  };

  return (
    <div>
      <SharedSessionStatus />
      <p>The link carries the model's fingerprint, the dataset ids and hashes, the method, its options, the learned module keep counts and your per-module overrides. It never carries weights or your text.</p>
      <button type="button" className="primary" disabled={!model || invalidReason !== null} title={invalidReason ?? undefined} onClick={() => void share()} data-testid="share">
        Create share link
      </button>
      {created && (
        <p>
          <input className="share-url" readOnly value={created.url} onFocus={(e) => e.target.select()} data-testid="share-url" /> {copied ? 'Copied to the clipboard.' : ''}
        </p>
      )}
      {created?.learnedLeftOut && (
        <p className="hint" data-testid="share-learned-left-out">
          The learned keep counts are too long for a link, so it carries the search settings only; whoever opens it gets the prior plan and can learn again.
        </p>
      )}
    </div>
  );
}

function modelStatus(matches: boolean | null): string {
  if (matches === true) return 'loaded ✓';
  if (matches === false) return 'the loaded model is a different one; load the shared model';
  return 'not loaded yet; load it in step 1';
}

/** Shows, for a page opened from a share link, the model and the user's datasets it still needs. */
function SharedSessionStatus() {
  const link = useStudio((s) => s.sharedLink);
  const state = useStudio((s) => s);
  if (!link) return null;
  const { modelMatches, missing } = sharedSessionGaps(state);
  return (
    <div className="shared" data-testid="shared-session">
      <h3>Shared session</h3>
      <p data-testid="shared-model">
        Model: <strong>{link.model.label}</strong> (fingerprint {link.model.fingerprint.slice(0, 12)}…):{' '}
        {modelStatus(modelMatches)}
        {link.model.demo && modelMatches !== true && (
          <button type="button" onClick={() => void loadDemoModel()} data-testid="shared-load-demo">
            Load demo model
          </button>
        )}
      </p>
      {missing.length > 0 && (
        <p data-testid="shared-missing">
          Datasets to provide: {missing.map((d) => `${d.id}${d.builtin ? ' (built-in, loading)' : ' (drop this file in step 2)'}`).join(', ')}.
        </p>
      )}
      <p>
        Restored: {link.prune.method} on {link.prune.metric} at {(link.prune.sparsity * 100).toFixed(0)}% sparsity, {link.learned ? 'learned module keep counts, ' : ''}
        {link.overrides.length} per-module override{link.overrides.length === 1 ? '' : 's'}.
      </p>
    </div>
  );
}
