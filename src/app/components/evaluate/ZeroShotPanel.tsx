import { TASK_TEMPLATES } from '../../../core/eval/tasks';
import { cancelJob } from '../../actions/jobs';
import { addTaskFiles, inspectTaskFile, runTasks, setTaskType } from '../../actions/zeroShot';
import { useInvalidFieldsReason } from '../../state/fieldValidity';
import { modelReady } from '../../state/sessionSlice';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';
import { ProgressBar } from '../ProgressBar';
import { TaskChart } from './TaskChart';
import { TaskTable } from './TaskTable';

/** Zero-shot multiple-choice tasks on the dense model and the ticked variants. */
export function ZeroShotPanel() {
  const files = useStudio((s) => s.taskFiles);
  const limit = useStudio((s) => s.taskLimit);
  const setLimit = useStudio((s) => s.setTaskLimit);
  const removeFile = useStudio((s) => s.removeTaskFile);
  const job = useStudio((s) => s.jobs.tasks);
  const result = useStudio((s) => s.taskResult);
  const attached = useStudio(modelReady);
  const invalidReason = useInvalidFieldsReason('evaluation');
  const readable = files.filter((f) => f.error === null);
  const changeLimit = (value: number) => {
    setLimit(value);
    for (const file of files) void inspectTaskFile(file.id);
  };

  return (
    <div className="zero-shot" data-testid="zero-shot">
      <h3>Zero-shot tasks</h3>
      <div
        className="dropzone small"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void addTaskFiles([...e.dataTransfer.files]);
        }}
      >
        Drop task files here (<code>.jsonl</code> in Hugging Face or LLM Foundry shape, or HellaSwag's <code>.txt</code>), or{' '}
        <label className="button">
          pick files…
          <input type="file" hidden multiple accept=".jsonl,.ndjson,.json,.txt" data-testid="task-files" onChange={(e) => e.target.files && void addTaskFiles([...e.target.files])} />
        </label>
        . The task is guessed from the file name; files of other tasks need <code>query</code>/<code>choices</code>/<code>gold</code> fields.
      </div>
      {files.length > 0 && (
        <table className="grid" data-testid="task-files-table">
          <thead>
            <tr>
              <th>File</th>
              <th>Task</th>
              <th>Items</th>
              <th>Shape</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {files.map((file) => (
              <tr key={file.id} data-testid={`task-file-${file.id}`}>
                <td>{file.id}</td>
                <td>
                  <select value={file.task} onChange={(e) => void setTaskType(file.id, e.target.value)} data-testid={`task-type-${file.id}`} aria-label={`task of ${file.id}`}>
                    {TASK_TEMPLATES.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.id}
                      </option>
                    ))}
                    {!TASK_TEMPLATES.some((t) => t.id === file.task) && <option value={file.task}>{file.task} (LLM Foundry fields)</option>}
                  </select>
                </td>
                <td>{file.error ? <span className="warning" title={file.error}>unreadable</span> : (file.summary?.items ?? 'reading…')}</td>
                <td>{file.summary ? `${file.summary.shape}, ${file.summary.kind}` : '–'}</td>
                <td>
                  <button type="button" onClick={() => removeFile(file.id)} aria-label={`remove ${file.id}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <fieldset className="fields">
        <legend>Tasks</legend>
        <NumberField group="evaluation" label="Items per task" value={limit} min={1} max={1000000} integer onChange={changeLimit} testId="task-limit" title="Scores the first N items of each file, as lm-evaluation-harness's --limit does." />
      </fieldset>
      <button type="button" className="primary" disabled={!attached || !!job || readable.length === 0 || invalidReason !== null} title={invalidReason ?? undefined} onClick={() => void runTasks()} data-testid="run-tasks">
        Score tasks
      </button>
      <ProgressBar job={job} label="tasks" onCancel={() => cancelJob('tasks')} />
      {result && (
        <div className="eval-result" data-testid="task-result">
          <TaskTable result={result} />
          <div className="task-charts">
            {[...new Set(result.rows.map((r) => r.task))].map((task) => (
              <TaskChart key={task} task={task} rows={result.rows.filter((r) => r.task === task)} />
            ))}
          </div>
          <div className="protocol" data-testid="task-protocol">
            <p>Zero-shot protocol: {result.method}.</p>
            <ul>
              {Object.entries(result.protocol).map(([task, protocol]) => (
                <li key={task}>
                  <strong>{task}</strong>: {protocol}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </div>
  );
}
