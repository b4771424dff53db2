import { CLUSTERING_IDS, PRIOR_IDS, RELIABLE_SOURCES } from '../../../core/prune/gprune/config';
import { METRIC_IDS, metricNeedsActivations } from '../../../core/prune/metrics/strategies';
import { updateSettings } from '../../actions/plan';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';

/**
 * Renders the GPrune options. Choices that GPrune-LLM (Liu et al., arXiv 2603.13418)
 * leaves open are reconstructions, each named and with its documented default.
 */
export function GpruneOptions() {
  const settings = useStudio((s) => s.settings);
  const profile = useStudio((s) => s.profile);
  return (
    <details className="fields" open>
      <summary>GPrune options (choices the GPrune-LLM paper leaves open are reconstructed defaults)</summary>
      <div className="fields-row">
        <NumberField group="prune" label="Modules per layer K" value={settings.modules} min={1} max={64} integer onChange={(modules) => updateSettings({ modules })} testId="modules-k" />
        <label className="field">
          <span>Partition</span>
          <select value={settings.clustering} onChange={(e) => updateSettings({ clustering: e.target.value as (typeof CLUSTERING_IDS)[number] })}>
            {CLUSTERING_IDS.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Metric switch</span>
          <input type="checkbox" checked={settings.metricSwitch} onChange={(e) => updateSettings({ metricSwitch: e.target.checked })} />
        </label>
        <label className="field">
          <span>Unreliable modules scored by</span>
          <select value={settings.unreliableMetric} onChange={(e) => updateSettings({ unreliableMetric: e.target.value as (typeof METRIC_IDS)[number] })}>
            {METRIC_IDS.filter((id) => !metricNeedsActivations(id)).map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Reliable modules scored by</span>
          <select value={settings.reliableSource} onChange={(e) => updateSettings({ reliableSource: e.target.value as (typeof RELIABLE_SOURCES)[number] })}>
            {RELIABLE_SOURCES.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
        {settings.reliableSource === 'primary' && (
          <label className="field">
            <span>Primary dataset</span>
            <select value={settings.primaryDataset ?? ''} onChange={(e) => updateSettings({ primaryDataset: e.target.value || null })}>
              <option value="">first calibration dataset</option>
              {profile?.datasets.map((d) => (
                <option key={d.id}>{d.id}</option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>Prior</span>
          <select value={settings.prior} onChange={(e) => updateSettings({ prior: e.target.value as (typeof PRIOR_IDS)[number] })}>
            {PRIOR_IDS.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
      </div>
    </details>
  );
}
