import { useEffect, useState } from 'react';
import { fitAdvice } from '../actions/fitAdvice';
import { cancelJob } from '../actions/jobs';
import { requestProfileEstimate, runProfile } from '../actions/profile';
import { formatCount } from '../format';
import { modelReady } from '../state/sessionSlice';
import { useInvalidFieldsReason } from '../state/fieldValidity';
import { useStudio } from '../state/store';
import { ProfileEstimateView } from './ProfileEstimateView';
import { ProgressBar } from './ProgressBar';

/** Step 3: the estimate of the run, then profiling of the calibration datasets in the worker, with progress and cancel. */
export function ProfilePanel() {
  const model = useStudio((s) => s.model);
  const ready = useStudio(modelReady);
  const job = useStudio((s) => s.jobs.profile);
  const profile = useStudio((s) => s.profile);
  const calibrationIds = useStudio((s) => s.calibrationIds);
  const calibration = useStudio((s) => s.calibration);
  const setCalibration = useStudio((s) => s.setCalibration);
  const estimate = useStudio((s) => s.estimate);
  const estimateError = useStudio((s) => s.estimateError);
  const [confirming, setConfirming] = useState(false);
  const advice = fitAdvice(estimate);
  const invalidReason = useInvalidFieldsReason('calibration');
  const canRun = ready && calibrationIds.length > 0 && !job && invalidReason === null;

  useEffect(() => {
    requestProfileEstimate();
    setConfirming(false);
  }, [model, ready, calibrationIds, calibration]);

  const start = () => {
    if (advice.needsConfirmation && !confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    void runProfile();
  };

  return (
    <div>
      <p>
        Runs the model over {calibration.samples} windows of {calibration.seqlen} tokens from each of {calibrationIds.length} calibration dataset{calibrationIds.length === 1 ? '' : 's'} and adds up per-neuron
        activation statistics inside the graph. Results are cached in this browser per model, dataset and settings.
      </p>
      <div className="buttons">
        <button type="button" className="primary" disabled={!canRun} title={invalidReason ?? undefined} onClick={start} data-testid="run-profile">
          Profile
        </button>
      </div>
      {ready && (
        <ProfileEstimateView
          estimate={estimate}
          error={estimateError}
          advice={advice}
          confirming={confirming}
          onLowerBatch={(batchSize) => setCalibration({ batchSize })}
          onConfirm={start}
          onCancel={() => setConfirming(false)}
        />
      )}
      <ProgressBar job={job} label="profile" onCancel={() => cancelJob('profile')} />
      {profile && (
        <div data-testid="profile-summary">
          <table className="grid">
            <thead>
              <tr>
                <th>Dataset</th>
                <th>Tokens</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {profile.datasets.map((d) => (
                <tr key={d.id}>
                  <td>{d.id}</td>
                  <td>{formatCount(d.tokens)}</td>
                  <td data-testid={`profile-source-${d.id}`}>{d.cached ? 'cache' : 'profiled'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="protocol">
            {profile.seconds.toFixed(1)} s. Protocol: {profile.protocol}.
          </p>
        </div>
      )}
    </div>
  );
}
