import { ALLOCATION_IDS } from '../../../core/prune/allocation/strategies';
import { METRIC_IDS } from '../../../core/prune/metrics/strategies';
import { cancelJob } from '../../actions/jobs';
import { clearOverrides, learnModuleSparsity, updateSettings } from '../../actions/plan';
import { saveCurrentVariant } from '../../actions/evaluate';
import { modelReady } from '../../state/sessionSlice';
import { useInvalidFieldsReason } from '../../state/fieldValidity';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';
import { ProgressBar } from '../ProgressBar';
import { GpruneOptions } from './GpruneOptions';
import { LiveEstimate } from './LiveEstimate';
import { ModuleSliders } from './ModuleSliders';

/** Step 5: method, sparsity and options; learned module sparsity; per-module keep ratios with a live estimate. */
export function AdjustPanel() {
  const settings = useStudio((s) => s.settings);
  const plan = useStudio((s) => s.plan);
  const planError = useStudio((s) => s.planError);
  const learnJob = useStudio((s) => s.jobs.learn);
  const overrides = useStudio((s) => s.overrides);
  const profile = useStudio((s) => s.profile);
  const attached = useStudio(modelReady);
  const invalidReason = useInvalidFieldsReason('prune');
  let compensation = 'auto';
  if (settings.biasCompensation !== 'auto') compensation = settings.biasCompensation ? 'on' : 'off';

  return (
    <div>
      <fieldset className="fields">
        <legend>Method</legend>
        <label className="field">
          <span>Method</span>
          <select value={settings.method} onChange={(e) => updateSettings({ method: e.target.value as 'gprune' | 'baseline' })} data-testid="method">
            <option value="gprune">GPrune (modules, reliability, learned sparsity)</option>
            <option value="baseline">Baseline (base metric and allocation only)</option>
          </select>
        </label>
        <label className="field">
          <span>Base metric</span>
          <select value={settings.metric} onChange={(e) => updateSettings({ metric: e.target.value as (typeof METRIC_IDS)[number] })} data-testid="metric">
            {METRIC_IDS.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Allocation</span>
          <select value={settings.allocation} onChange={(e) => updateSettings({ allocation: e.target.value as 'auto' })}>
            <option value="auto">auto (the metric's own)</option>
            {ALLOCATION_IDS.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Bias compensation</span>
          <select value={compensation} onChange={(e) => updateSettings({ biasCompensation: e.target.value === 'auto' ? 'auto' : e.target.value === 'on' })}>
            <option value="auto">auto (on for flap)</option>
            <option value="on">on</option>
            <option value="off">off</option>
          </select>
        </label>
        <label className="field wide">
          <span>Sparsity: {(settings.sparsity * 100).toFixed(0)}% of FFN parameters removed</span>
          <input type="range" min={0} max={0.9} step={0.01} value={settings.sparsity} onChange={(e) => updateSettings({ sparsity: Number(e.target.value) })} data-testid="sparsity" />
        </label>
        <NumberField group="prune" label="Min neurons per layer" value={settings.minPerLayer} min={0} max={1 << 20} integer onChange={(minPerLayer) => updateSettings({ minPerLayer })} />
        <NumberField group="prune" label="Seed" value={settings.seed} min={0} max={2 ** 31 - 1} integer onChange={(seed) => updateSettings({ seed })} />
      </fieldset>
      {settings.method === 'gprune' && <GpruneOptions />}
      {planError && (
        <p className="error" data-testid="plan-error">
          {planError}
        </p>
      )}
      {!profile && <p>Profile calibration datasets to plan with activation statistics.</p>}
      {plan && (
        <>
          <LiveEstimate />
          <div className="buttons">
            <NumberField group="prune" label="Search evaluations" value={settings.searchEvaluations} min={1} max={100000} integer onChange={(searchEvaluations) => updateSettings({ searchEvaluations })} testId="search-evaluations" title="Loss evaluations the search may spend, the prior's included" />
            <button type="button" disabled={!!learnJob || !attached || invalidReason !== null} title={invalidReason ?? undefined} onClick={() => void learnModuleSparsity()} data-testid="learn">
              Learn module sparsity
            </button>
            <button type="button" disabled={overrides.length === 0} onClick={clearOverrides}>
              Reset {overrides.length} override{overrides.length === 1 ? '' : 's'}
            </button>
            <button type="button" className="primary" disabled={!attached || invalidReason !== null} title={invalidReason ?? undefined} onClick={() => void saveCurrentVariant()} data-testid="save-variant">
              Save variant for evaluation
            </button>
          </div>
          <ProgressBar job={learnJob} label="learn" onCancel={() => cancelJob('learn')} />
          <ModuleSliders />
        </>
      )}
    </div>
  );
}
