import { cancelJob } from '../actions/jobs';
import { runProfile } from '../actions/profile';
import { formatCount } from '../format';
import { useStudio } from '../state/store';
import { ProgressBar } from './ProgressBar';

/** Step 3: profile the calibration datasets in the worker, with progress and cancel. */
export function ProfilePanel() {
  const model = useStudio((s) => s.model);
  const job = useStudio((s) => s.jobs.profile);
  const profile = useStudio((s) => s.profile);
  const calibrationIds = useStudio((s) => s.calibrationIds);
  const calibration = useStudio((s) => s.calibration);
  const ready = !!model && calibrationIds.length > 0 && !job;

  return (
    <div>
      <p>
        Runs the model over {calibration.samples} windows of {calibration.seqlen} tokens from each of {calibrationIds.length} calibration dataset{calibrationIds.length === 1 ? '' : 's'} and adds up per-neuron
        activation statistics inside the graph. Results are cached in this browser per model, dataset and settings.
      </p>
      <button type="button" className="primary" disabled={!ready} onClick={() => void runProfile()} data-testid="run-profile">
        Profile
      </button>
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
