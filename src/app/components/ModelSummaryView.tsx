import type { ModelSummary } from '../../../workers/studio/api';
import { formatBytes, formatCount } from '../format';

/** Shows the loaded model's facts and the engine that runs it, with the reason it was chosen. */
export function ModelSummaryView({ model }: { model: ModelSummary }) {
  const widths = [...new Set(model.ffnWidths)];
  const rows: [string, string][] = [
    ['Model', `${model.label} (${model.modelPath})`],
    ['Architecture', `${model.architecture}, ${model.layers} layers, hidden size ${model.hidden}`],
    ['FFN', `${model.ffnKind}; ${widths.length === 1 ? `${widths[0]} neurons per layer` : `${Math.min(...widths)}–${Math.max(...widths)} neurons per layer`}, ${formatCount(model.ffnWidths.reduce((a, b) => a + b, 0))} in all`],
    ['Parameters', `${formatCount(model.parameters)} (FFN ${formatCount(model.ffnParameters)}, ${((model.ffnParameters / model.parameters) * 100).toFixed(1)}%)`],
    ['File size', `${formatBytes(model.modelBytes)} (.onnx and external data)`],
    ['Tokenizer', `${model.tokenizer.vocabSize} tokens${model.tokenizer.bos ? ', BOS prepended to windows' : ', no BOS token'}`],
    ['Engine', model.engine.name],
    ['Why', model.engine.reason],
    ['Fingerprint', `${model.fingerprint.slice(0, 16)}…`],
  ];
  return (
    <table className="facts" data-testid="model-summary">
      <tbody>
        {rows.map(([key, value]) => (
          <tr key={key}>
            <th>{key}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
