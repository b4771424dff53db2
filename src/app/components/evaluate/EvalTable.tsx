import type { EvalResult } from '../../../../workers/studio/api';

/** Perplexity per dataset (rows) and variant (columns), with the change against dense. */
export function EvalTable({ result }: { result: EvalResult }) {
  const variants = [...new Map(result.rows.map((r) => [r.variant, r.label])).entries()];
  const datasets = [...new Set(result.rows.map((r) => r.dataset))];
  const cell = (variant: string, dataset: string) => result.rows.find((r) => r.variant === variant && r.dataset === dataset);
  return (
    <table className="grid numeric" data-testid="eval-table">
      <thead>
        <tr>
          <th>Dataset</th>
          {variants.map(([id, label]) => (
            <th key={id}>{label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {datasets.map((dataset) => {
          const dense = cell('dense', dataset);
          return (
            <tr key={dataset}>
              <td>{dataset}</td>
              {variants.map(([id]) => {
                const row = cell(id, dataset);
                if (!row) return <td key={id}>–</td>;
                const change = dense && id !== 'dense' ? ` (${row.perplexity >= dense.perplexity ? '+' : ''}${(((row.perplexity - dense.perplexity) / dense.perplexity) * 100).toFixed(1)}%)` : '';
                return (
                  <td key={id} title={`mean NLL ${row.nll.toFixed(4)} over ${row.tokens} predicted tokens`}>
                    {row.perplexity.toFixed(2)}
                    {change}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
