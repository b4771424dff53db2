import type { AnalysisData } from '../../../../workers/studio/api';

/** Shows the numbers of one neuron: score and rank per dataset, σ, μ, m, its module and how the module is scored. */
export function NeuronTooltip(props: { analysis: AnalysisData; layer: number; neuron: number; x: number; y: number }) {
  const { analysis, layer, neuron } = props;
  const module = analysis.module[layer]?.[neuron];
  if (module === undefined) return null;
  const reliable = analysis.moduleReliable[layer][module];
  return (
    <div className="tooltip" style={{ left: props.x + 14, top: props.y + 14 }} data-testid="neuron-tooltip">
      <strong>
        Layer {layer}, neuron {neuron}
      </strong>
      <table>
        <tbody>
          {analysis.datasets.map((name, d) => (
            <tr key={name}>
              <th>{name}</th>
              <td>
                score {analysis.scores[d][layer][neuron].toPrecision(4)}, rank {analysis.ranks[d][layer][neuron].toFixed(3)}
              </td>
            </tr>
          ))}
          <tr>
            <th>σ / μ / m</th>
            <td>
              {analysis.sigma[layer][neuron].toFixed(3)} / {analysis.mu[layer][neuron].toFixed(3)} / {analysis.magnitude[layer][neuron].toFixed(2)}
            </td>
          </tr>
          <tr>
            <th>Module</th>
            <td>
              {module} ({reliable ? 'reliable' : 'unreliable'}), scored by {analysis.moduleSource[layer][module]}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
