import { estimatePrunedBytes } from '../../../core/views/moduleKeeps';
import { formatBytes, formatCount, formatPercent } from '../../format';
import { useKeptFfnParameters } from '../../state/hooks';
import { useStudio } from '../../state/store';

/** Parameters, file size and the calibration-loss estimate of the keep counts in force, updated as sliders move. */
export function LiveEstimate() {
  const model = useStudio((s) => s.model);
  const plan = useStudio((s) => s.plan);
  const loss = useStudio((s) => s.loss);
  const pending = useStudio((s) => s.lossPending);
  const learned = useStudio((s) => s.learned);
  const kept = useKeptFfnParameters();
  if (!model || !plan) return null;

  const removed = plan.ffnParametersBefore - kept;
  const parameters = model.parameters - removed;
  const bytes = estimatePrunedBytes(model.modelBytes, removed, model.bytesPerParameter);
  return (
    <div className="estimate" data-testid="live-estimate">
      <div>
        <span className="label">FFN parameters kept</span>
        <span className="value" data-testid="ffn-kept">
          {formatCount(kept)} of {formatCount(plan.ffnParametersBefore)} ({formatPercent(kept / plan.ffnParametersBefore)})
        </span>
      </div>
      <div>
        <span className="label">Model parameters</span>
        <span className="value" data-testid="model-parameters">
          {formatCount(parameters)} (was {formatCount(model.parameters)})
        </span>
      </div>
      <div>
        <span className="label">File size (estimate)</span>
        <span className="value" data-testid="file-size">
          {formatBytes(bytes)} (was {formatBytes(model.modelBytes)})
        </span>
      </div>
      <div>
        <span className="label">Calibration loss (held out)</span>
        <span className="value" data-testid="loss-estimate">
          {loss ? `${loss.loss.toFixed(4)} nats/token, perplexity ${loss.perplexity.toFixed(2)}` : '–'} {pending ? <em>(updating…)</em> : null}
        </span>
      </div>
      {learned && (
        <div>
          <span className="label">Learned sparsity</span>
          <span className="value" data-testid="learned-sparsity">
            loss {learned.priorLoss.toFixed(4)} → {learned.loss.toFixed(4)} in {learned.evaluations} evaluations ({learned.stopReason})
          </span>
        </div>
      )}
      <p className="protocol">
        Method {plan.method}
        {plan.biasCompensation ? ', with bias compensation' : ''}. {loss ? capitalize(loss.protocol) : ''}
      </p>
    </div>
  );
}

/** Returns `text` with its first letter in upper case, so a lowercase phrase can start a sentence. */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
