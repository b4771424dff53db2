import { moduleColor } from '../../render/colors';
import { useCurrentCounts } from '../../state/hooks';
import { useStudio } from '../../state/store';

/** Renders the module partition per layer: size, σ̄, μ̄, m̄, reliability, scoring source and keep counts. */
export function ModulesTable() {
  const plan = useStudio((s) => s.plan);
  const counts = useCurrentCounts();
  if (!plan) return <p>No plan yet.</p>;
  const gprune = plan.modules.some((m) => m.meanSigma !== undefined);
  return (
    <table className="grid numeric" data-testid="modules-table">
      <thead>
        <tr>
          <th>Layer</th>
          <th>Module</th>
          <th>Neurons</th>
          {gprune && (
            <>
              <th title="mean rank spread across datasets">σ̄</th>
              <th title="mean percentile rank">μ̄</th>
              <th title="mean z-score of the base metric">m̄</th>
              <th>Reliable</th>
              <th>Scored by</th>
            </>
          )}
          <th>Prior keep</th>
          <th>Keep now</th>
        </tr>
      </thead>
      <tbody>
        {plan.modules.map((m, i) => (
          <tr key={`${m.layer}-${m.module}`} className={m.reliable === false ? 'unreliable' : undefined}>
            <td>{m.layer}</td>
            <td>
              <span className="dot" style={{ '--module-color': moduleColor(m.module) } as React.CSSProperties} /> {m.module}
            </td>
            <td>{m.size}</td>
            {gprune && (
              <>
                <td>{m.meanSigma!.toFixed(3)}</td>
                <td>{m.meanMu!.toFixed(3)}</td>
                <td>{m.meanMagnitude!.toFixed(2)}</td>
                <td>{m.reliable ? 'yes' : 'no'}</td>
                <td>{m.source}</td>
              </>
            )}
            <td>{m.priorKeep}</td>
            <td>{counts[i]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
