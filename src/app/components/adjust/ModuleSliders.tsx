import { memo } from 'react';
import type { ModuleInfo } from '../../../../workers/studio/api';
import { setModuleOverride } from '../../actions/plan';
import { moduleColor } from '../../render/colors';
import { useCurrentCounts } from '../../state/hooks';
import { useStudio } from '../../state/store';

/** Renders one row per layer with a keep-ratio slider per module. A moved slider becomes an override. */
export function ModuleSliders() {
  const plan = useStudio((s) => s.plan);
  const overrides = useStudio((s) => s.overrides);
  const counts = useCurrentCounts();
  if (!plan) return null;

  const layers = [...new Set(plan.modules.map((m) => m.layer))];
  return (
    <div className="sliders" data-testid="module-sliders">
      <h3>Keep ratio per {plan.modules.some((m) => m.meanSigma !== undefined) ? 'module' : 'layer'}</h3>
      <p className="slider-legend" data-testid="slider-legend">
        <span className="module-slider overridden">
          <span>M0</span>
        </span>{' '}
        a slider you moved (an override){plan.modules.some((m) => m.reliable === false) && (
          <>
            {' · '}
            <span className="module-slider unreliable">
              <span>M0</span>
            </span>{' '}
            an unreliable module: its neurons' ranks vary much between the calibration datasets (mean σ above τσ) and its scores are small (mean m below τm), so the metric switch scores it with the activation-independent metric
          </>
        )}
        . Hover over a slider for the module's statistics.
      </p>
      {layers.map((layer) => {
        const members = plan.modules.map((m, i) => ({ m, i })).filter(({ m }) => m.layer === layer);
        const width = members.reduce((sum, { m }) => sum + m.size, 0);
        const kept = members.reduce((sum, { i }) => sum + counts[i], 0);
        return (
          <div key={layer} className="slider-row">
            <span className="slider-layer" data-testid={`layer-kept-${layer}`}>
              L{layer}: {kept}/{width}
            </span>
            {members.map(({ m, i }) => (
              <ModuleSlider key={m.module} info={m} keep={counts[i] ?? 0} overridden={overrides.some((o) => o.layer === layer && o.module === m.module)} />
            ))}
          </div>
        );
      })}
    </div>
  );
}

const ModuleSlider = memo(function ModuleSlider({ info, keep, overridden }: { info: ModuleInfo; keep: number; overridden: boolean }) {
  const ratio = info.size ? keep / info.size : 1;
  const title = info.meanSigma === undefined ? `layer ${info.layer}: ${info.size} neurons` : `module ${info.module}: ${info.size} neurons, σ̄ ${info.meanSigma.toFixed(3)}, m̄ ${info.meanMagnitude!.toFixed(2)}, ${info.reliable ? 'reliable' : 'unreliable'}, scored by ${info.source}`;
  return (
    <label className={`module-slider${overridden ? ' overridden' : ''}${info.reliable === false ? ' unreliable' : ''}`} title={title}>
      <span>
        <span className="dot" style={{ '--module-color': moduleColor(info.module) } as React.CSSProperties} /> M{info.module} {keep}/{info.size}
      </span>
      <input
        type="range"
        min={0}
        max={1}
        step={info.size > 0 ? 1 / info.size : 1}
        value={ratio}
        aria-label={`keep ratio of layer ${info.layer} module ${info.module}`}
        data-testid={`module-slider-${info.layer}-${info.module}`}
        onChange={(e) => setModuleOverride({ layer: info.layer, module: info.module, keepRatio: Number(e.target.value) })}
      />
    </label>
  );
});
