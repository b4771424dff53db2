/**
 * The studio shell. Model work runs in workers; this component only lays out the panels.
 */
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem' }}>
      <h1>GPrune Studio</h1>
      <p>Generalization-aware structured pruning of ONNX LLMs, in the browser.</p>
      <p data-testid="isolation">{self.crossOriginIsolated ? 'Cross-origin isolated: WASM threads available.' : 'Not cross-origin isolated: WASM runs single-threaded.'}</p>
    </main>
  );
}
