import { addDatasetFiles, setCalibrationSelected, setEvaluationSelected } from '../actions/datasets';
import { formatBytes } from '../format';
import { useStudio } from '../state/store';
import { CalibrationFields } from './CalibrationFields';

interface Row {
  id: string;
  kind: string;
  detail: string;
  /** The manifest's counts of a built-in dataset, shown before the dataset is loaded. */
  documents?: number;
  bytes?: number;
}

/** Step 2: built-in and dropped datasets, their use for calibration or evaluation, and the calibration settings. */
export function DatasetsPanel() {
  const builtins = useStudio((s) => s.builtins);
  const datasets = useStudio((s) => s.datasets);
  const loading = useStudio((s) => s.datasetsLoading);
  const calibrationIds = useStudio((s) => s.calibrationIds);
  const evaluationIds = useStudio((s) => s.evaluationIds);

  const rows: Row[] = [
    ...builtins.map((b) => ({ id: b.id, kind: `built-in · ${b.domain ?? ''} · ${b.split ?? ''}`, detail: b.source ?? '', documents: b.documents, bytes: b.bytes })),
    ...Object.values(datasets)
      .filter((d) => !d.builtin)
      .map((d) => ({ id: d.id, kind: `your file · ${d.format}`, detail: d.warnings.join(' ') })),
  ];

  return (
    <div>
      <table className="grid" data-testid="datasets-table">
        <thead>
          <tr>
            <th>Calibration</th>
            <th>Evaluation</th>
            <th>Dataset</th>
            <th>Kind</th>
            <th>Documents</th>
            <th>Size</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const summary = datasets[row.id];
            return (
              <tr key={row.id} title={row.detail}>
                <td>
                  <input type="checkbox" aria-label={`calibrate on ${row.id}`} data-testid={`calib-${row.id}`} checked={calibrationIds.includes(row.id)} onChange={(e) => setCalibrationSelected(row.id, e.target.checked)} />
                </td>
                <td>
                  <input type="checkbox" aria-label={`evaluate on ${row.id}`} data-testid={`eval-${row.id}`} checked={evaluationIds.includes(row.id)} onChange={(e) => setEvaluationSelected(row.id, e.target.checked)} />
                </td>
                <td>{row.id}</td>
                <td>{row.kind}</td>
                <td>{loading.includes(row.id) ? 'loading…' : (summary?.documents ?? row.documents ?? '–')}</td>
                <td>{summary ? formatBytes(summary.bytes) : row.bytes !== undefined ? formatBytes(row.bytes) : '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div
        className="dropzone small"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void addDatasetFiles([...e.dataTransfer.files]);
        }}
      >
        Drop <code>.txt</code> or <code>.jsonl</code> files here (one document per line in JSON lines, field <code>text</code>), or{' '}
        <label className="button">
          pick files…
          <input type="file" hidden multiple accept=".txt,.jsonl,.ndjson,.json" data-testid="dataset-files" onChange={(e) => e.target.files && void addDatasetFiles([...e.target.files])} />
        </label>
        . Files whose names mention eval, test or valid are ticked for evaluation, the rest for calibration.
      </div>
      {calibrationIds.length < 2 && <p className="warning">GPrune measures how neuron rankings change between datasets: select at least two calibration datasets.</p>}
      <CalibrationFields />
    </div>
  );
}
