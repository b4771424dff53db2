import type { ProfileEstimate } from '../../../workers/studio/api';
import type { FitAdvice } from '../actions/fitAdvice';
import { formatBytes, formatCount, formatSeconds } from '../format';

const DEVICE_NAMES: Record<string, string> = { wasm: 'WebAssembly (4 GiB memory)', webgpu: 'this GPU', 'onnxruntime-node': 'onnxruntime-node' };

/**
 * Shows the estimate beside the Profile button and the problems that make the run unlikely
 * to fit, with a smaller batch size to choose or a confirmation to run anyway.
 */
export function ProfileEstimateView(props: {
  estimate: ProfileEstimate | null;
  error: string | null;
  advice: FitAdvice;
  confirming: boolean;
  onLowerBatch(batchSize: number): void;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { estimate, advice } = props;
  if (props.error) {
    return (
      <p className="error" data-testid="profile-estimate">
        No estimate: {props.error}
      </p>
    );
  }
  if (!estimate) return null;
  const { memory } = estimate;
  const device = DEVICE_NAMES[estimate.device] ?? estimate.device;
  return (
    <div className="profile-estimate">
      <p className="protocol" data-testid="profile-estimate">
        Estimate: {formatCount(estimate.tokens)} tokens in {estimate.windows} windows, about <strong>{formatBytes(memory.peakBytes)}</strong> of memory at the peak (weights {formatBytes(memory.weightBytes)}, activations of one batch of{' '}
        {estimate.batchSize} windows {formatBytes(memory.activationBytes + memory.kvCacheBytes)}) and about <strong>{formatSeconds(estimate.seconds)}</strong> of compute at a guessed {(estimate.throughput / 1e9).toFixed(0)} GFLOP/s, plus loading the
        model.
      </p>
      {advice.problems.length > 0 && (
        <div className="fit-warning warning" data-testid="fit-warning">
          <strong>This profile will probably not fit {device}:</strong>
          <ul>
            {advice.problems.map((problem) => (
              <li key={problem.id}>
                <code>{problem.id}</code> {problem.message}
              </li>
            ))}
          </ul>
          <div className="buttons">
            {advice.lowerBatchTo !== null && (
              <button type="button" className="primary" onClick={() => props.onLowerBatch(advice.lowerBatchTo!)} data-testid="lower-batch">
                Use batch size {advice.lowerBatchTo}
              </button>
            )}
            {props.confirming && (
              <>
                <button type="button" onClick={props.onConfirm} data-testid="profile-anyway">
                  Profile anyway
                </button>
                <button type="button" onClick={props.onCancel}>
                  Cancel
                </button>
              </>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
