import type { TaskEvalResult } from '../../../../workers/studio/api';
import { averageTaskScores, percent } from './taskAverage';

/** acc and acc_norm in percent ± standard error, per task (rows) and variant (column pairs), with the average. */
export function TaskTable({ result }: { result: TaskEvalResult }) {
  const variants = [...new Map(result.rows.map((r) => [r.variant, r.label])).entries()];
  const tasks = [...new Set(result.rows.map((r) => r.task))];
  const cell = (variant: string, task: string) => result.rows.find((r) => r.variant === variant && r.task === task);
  const withError = (value: number | null, stderr: number | null) => (value === null ? '–' : `${percent(value)} ± ${percent(stderr)}`);
  return (
    <table className="grid numeric" data-testid="task-table">
      <thead>
        <tr>
          <th rowSpan={2}>Task</th>
          <th rowSpan={2}>Items</th>
          {variants.map(([id, label]) => (
            <th key={id} colSpan={2}>
              {label}
            </th>
          ))}
        </tr>
        <tr>
          {variants.flatMap(([id]) => [<th key={`${id}-acc`}>acc %</th>, <th key={`${id}-norm`}>acc_norm %</th>])}
        </tr>
      </thead>
      <tbody>
        {tasks.map((task) => (
          <tr key={task} data-testid={`task-row-${task}`}>
            <td>{task}</td>
            <td>{result.rows.find((r) => r.task === task)?.items}</td>
            {variants.flatMap(([id]) => {
              const row = cell(id, task);
              const title = row ? `${row.label}: ${row.strategy} scoring${row.perplexity === null ? '' : `, perplexity ${row.perplexity.toFixed(3)}`}` : undefined;
              return [
                <td key={`${id}-acc`} title={title} data-testid={`task-acc-${task}-${id}`}>
                  {row ? withError(row.acc, row.accStderr) : '–'}
                </td>,
                <td key={`${id}-norm`} title={title}>
                  {row ? withError(row.accNorm, row.accNormStderr) : '–'}
                </td>,
              ];
            })}
          </tr>
        ))}
        <tr className="average" data-testid="task-average">
          <td>average ({tasks.length})</td>
          <td />
          {variants.flatMap(([id]) => {
            const average = averageTaskScores(result.rows.filter((r) => r.variant === id));
            return [<td key={`${id}-acc`}>{percent(average.acc)}</td>, <td key={`${id}-norm`}>{percent(average.accNorm)}</td>];
          })}
        </tr>
      </tbody>
    </table>
  );
}
