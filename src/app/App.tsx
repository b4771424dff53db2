import { useEffect } from 'react';
import { startSession } from './actions/startup';
import { openSharedLinkFromLocation } from './actions/share';
import { AdjustPanel } from './components/adjust/AdjustPanel';
import { DatasetsPanel } from './components/DatasetsPanel';
import { EvaluatePanel } from './components/evaluate/EvaluatePanel';
import { ExportPanel } from './components/ExportPanel';
import { LoadPanel } from './components/LoadPanel';
import { Notices } from './components/Notices';
import { ProfilePanel } from './components/ProfilePanel';
import { Section } from './components/Section';
import { SharePanel } from './components/SharePanel';
import { ViewsPanel } from './components/views/ViewsPanel';
import { useStudio } from './state/store';

/** Renders the studio: eight steps from loading a model to sharing the session. Model work runs in a worker. */
export function App() {
  const engine = useStudio((s) => s.engine);
  const savedAt = useStudio((s) => s.savedAt);
  useEffect(() => {
    const stop = startSession();
    const onHash = () => openSharedLinkFromLocation();
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('hashchange', onHash);
      stop();
    };
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1>GPrune Studio</h1>
        <p>
          Generalization-aware structured pruning of ONNX LLMs, in your browser. The GPrune method is reconstructed from the description of GPrune-LLM (Liu et al., 2026); options the
          paper leaves open are marked as such.
        </p>
        <p className="engine" data-testid="isolation">
          {self.crossOriginIsolated ? 'Cross-origin isolated: WASM threads available.' : 'Not cross-origin isolated: WASM runs single-threaded.'}
          {engine ? ` Engine: ${engine.name}.` : ''}
        </p>
        <p className="engine" data-testid="autosave">
          {savedAt ? `Session saved in this browser at ${new Date(savedAt).toLocaleTimeString()}.` : 'The session is saved in this browser as you work.'}
        </p>
        <nav>
          {['load', 'datasets', 'profile', 'views', 'adjust', 'evaluate', 'export', 'share'].map((id, i) => (
            <a key={id} href={`#${id}`} onClick={(e) => (e.preventDefault(), document.getElementById(id)?.scrollIntoView({ behavior: 'smooth' }))}>
              {i + 1}. {id}
            </a>
          ))}
        </nav>
      </header>
      <Notices />
      <Section id="load" step={1} title="Load a model">
        <LoadPanel />
      </Section>
      <Section id="datasets" step={2} title="Datasets">
        <DatasetsPanel />
      </Section>
      <Section id="profile" step={3} title="Profile">
        <ProfilePanel />
      </Section>
      <Section id="views" step={4} title="Neurons: robust or distribution-sensitive">
        <ViewsPanel />
      </Section>
      <Section id="adjust" step={5} title="Adjust the pruning">
        <AdjustPanel />
      </Section>
      <Section id="evaluate" step={6} title="Evaluate">
        <EvaluatePanel />
      </Section>
      <Section id="export" step={7} title="Export">
        <ExportPanel />
      </Section>
      <Section id="share" step={8} title="Share">
        <SharePanel />
      </Section>
    </div>
  );
}
