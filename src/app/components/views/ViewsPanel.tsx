import { useState } from 'react';
import { getAnalysis } from '../../state/analysisStore';
import { useStudio } from '../../state/store';
import { AgreementView } from './AgreementView';
import { HeatmapView } from './HeatmapView';
import { ModulesTable } from './ModulesTable';
import { ScatterView } from './ScatterView';

const TABS = [
  { id: 'heatmap', label: 'Heatmap' },
  { id: 'scatter', label: 'μ–σ scatter' },
  { id: 'agreement', label: 'Dataset agreement' },
  { id: 'modules', label: 'Modules' },
] as const;

type TabId = (typeof TABS)[number]['id'];

/** Step 4: the views of the profile, one tab each. */
export function ViewsPanel() {
  const [tab, setTab] = useState<TabId>('heatmap');
  useStudio((s) => s.analysisVersion);
  const planError = useStudio((s) => s.planError);
  const analysis = getAnalysis();
  if (!analysis) return <p>{planError ? `No plan: ${planError}` : 'Profile the calibration datasets to see which neurons are robust and which are distribution-sensitive.'}</p>;

  return (
    <div>
      <div role="tablist" className="tabs">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" data-testid={`view-${tab}`}>
        {tab === 'heatmap' && <HeatmapView analysis={analysis} />}
        {tab === 'scatter' && <ScatterView analysis={analysis} />}
        {tab === 'agreement' && <AgreementView analysis={analysis} />}
        {tab === 'modules' && <ModulesTable />}
      </div>
    </div>
  );
}
