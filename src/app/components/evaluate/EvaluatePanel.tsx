import { runEvaluation } from '../../actions/evaluate';
import { cancelJob } from '../../actions/jobs';
import { formatCount } from '../../format';
import { modelReady } from '../../state/sessionSlice';
import { useInvalidFieldsReason } from '../../state/fieldValidity';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';
import { ProgressBar } from '../ProgressBar';
import { EvalChart } from './EvalChart';
import { EvalTable } from './EvalTable';
import { ZeroShotPanel } from './ZeroShotPanel';

/** Step 6: perplexity and zero-shot task scores of the dense model and the saved variants. */
export function EvaluatePanel() {
  const model = useStudio((s) => s.model);
  const variants = useStudio((s) => s.variants);
  const selected = useStudio((s) => s.evalVariantIds);
  const setSelected = useStudio((s) => s.setEvalVariantIds);
  const evaluationIds = useStudio((s) => s.evaluationIds);
  const evalSettings = useStudio((s) => s.evalSettings);
  const setEvalSettings = useStudio((s) => s.setEvalSettings);
  const job = useStudio((s) => s.jobs.eval);
  const result = useStudio((s) => s.evalResult);
  const attached = useStudio(modelReady);
  const invalidReason = useInvalidFieldsReason('evaluation');
  const toggle = (id: string, on: boolean) => setSelected(on ? [...new Set([...selected, id])] : selected.filter((x) => x !== id));

  return (
    <div>
      <p>
        Evaluation datasets (tick them in step 2): {evaluationIds.length ? evaluationIds.join(', ') : 'none'}.
      </p>
      <fieldset className="fields">
        <legend>Variants</legend>
        {[{ id: 'dense', label: 'dense (unpruned)', ffnParametersAfter: model?.ffnParameters ?? 0 }, ...variants].map((v) => (
          <label key={v.id} className="field checkbox">
            <input type="checkbox" checked={selected.includes(v.id)} onChange={(e) => toggle(v.id, e.target.checked)} data-testid={`variant-${v.id}`} />
            <span>
              {v.label} · FFN {formatCount(v.ffnParametersAfter)}
            </span>
          </label>
        ))}
        {variants.length === 0 && <p>Save variants in step 5 to compare them with the dense model.</p>}
      </fieldset>
      <fieldset className="fields">
        <legend>Protocol</legend>
        <NumberField group="evaluation" label="Tokens per window" value={evalSettings.seqlen} min={2} max={1 << 16} integer onChange={(seqlen) => setEvalSettings({ seqlen })} testId="eval-seqlen" />
        <NumberField group="evaluation" label="Windows per dataset" value={evalSettings.maxWindows} min={1} max={1000000} integer onChange={(maxWindows) => setEvalSettings({ maxWindows })} testId="eval-windows" />
      </fieldset>
      <button type="button" className="primary" disabled={!attached || !!job || invalidReason !== null} title={invalidReason ?? undefined} onClick={() => void runEvaluation()} data-testid="run-eval">
        Evaluate
      </button>
      <ProgressBar job={job} label="eval" onCancel={() => cancelJob('eval')} />
      {result && (
        <div className="eval-result" data-testid="eval-result">
          <EvalTable result={result} />
          <EvalChart result={result} />
          <div className="protocol">
            <p>Perplexity = {result.method}.</p>
            <ul>
              {Object.entries(result.protocol).map(([dataset, protocol]) => (
                <li key={dataset}>
                  <strong>{dataset}</strong>: {protocol}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <ZeroShotPanel />
    </div>
  );
}
