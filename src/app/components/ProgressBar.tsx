import { useEffect, useState } from 'react';
import { formatCount, formatSeconds } from '../format';
import type { JobState } from '../state/types';

/**
 * Progress of a running job: a bar, done / total in the job's unit, what runs now, the
 * elapsed time and the time left estimated from the rate so far.
 */
export function ProgressBar(props: { job: JobState | undefined; label: string; onCancel?: () => void }) {
  const { job } = props;
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!job) return;
    const timer = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(timer);
  }, [job]);
  if (!job) return null;

  const progress = job.progress;
  const elapsed = (now - job.startedAt) / 1000;
  const fraction = progress && progress.total > 0 ? progress.done / progress.total : 0;
  const left = fraction > 0.02 ? (elapsed * (1 - fraction)) / fraction : Number.NaN;
  return (
    <div className="progress" role="status" data-testid={`progress-${props.label}`}>
      <progress max={1} value={fraction} />
      <span className="progress-text">
        {progress ? `${formatCount(progress.done)} / ${formatCount(progress.total)} ${progress.unit}` : 'starting…'}
        {progress?.detail ? ` · ${progress.detail}` : ''}
        {` · ${formatSeconds(elapsed)} elapsed`}
        {Number.isFinite(left) ? ` · about ${formatSeconds(left)} left` : ''}
        {progress?.bestLoss !== undefined ? ` · best loss ${progress.bestLoss.toFixed(4)} (prior ${progress.priorLoss?.toFixed(4)})` : ''}
      </span>
      {props.onCancel && (
        <button type="button" onClick={props.onCancel} data-testid={`cancel-${props.label}`}>
          Cancel
        </button>
      )}
    </div>
  );
}
