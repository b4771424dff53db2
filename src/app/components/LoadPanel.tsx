import { useState } from 'react';
import { loadDemoModel, loadModelFiles } from '../actions/model';
import { cancelJob } from '../actions/jobs';
import { forgetSavedSession } from '../actions/session';
import { type DroppedModel, droppedEntries, pickedFiles } from '../files/dropEntries';
import { useStudio } from '../state/store';
import { ModelSummaryView } from './ModelSummaryView';
import { ProgressBar } from './ProgressBar';

/** Step 1: drop or pick a model folder or files, or load the demo model. */
export function LoadPanel() {
  const job = useStudio((s) => s.jobs.load);
  const model = useStudio((s) => s.model);
  const link = useStudio((s) => s.modelLink);
  const restoredFrom = useStudio((s) => s.restoredFrom);
  const [over, setOver] = useState(false);
  const open = (dropped: DroppedModel) => {
    if (dropped.files.length) void loadModelFiles(dropped.label, dropped.files);
  };

  return (
    <div>
      <div
        className={`dropzone${over ? ' dropzone-over' : ''}`}
        data-testid="model-dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(event) => {
          event.preventDefault();
          setOver(false);
          void droppedEntries(event.dataTransfer).then(open);
        }}
      >
        <p>
          Drop a model folder here (onnx-community layout with <code>onnx/model.onnx</code>), or an <code>.onnx</code> file with its <code>.onnx_data</code> chunks,{' '}
          <code>config.json</code>, <code>tokenizer.json</code> and <code>tokenizer_config.json</code>.
        </p>
        <div className="buttons">
          <button type="button" className="primary" disabled={!!job} onClick={() => void loadDemoModel()} data-testid="load-demo">
            Load demo model
          </button>
          <label className="button">
            Pick folder…
            <input type="file" hidden multiple {...{ webkitdirectory: '' }} data-testid="model-folder" onChange={(event) => event.target.files && open(pickedFiles(event.target.files))} />
          </label>
          <label className="button">
            Pick files…
            <input type="file" hidden multiple data-testid="model-files" onChange={(event) => event.target.files && open(pickedFiles(event.target.files))} />
          </label>
        </div>
      </div>
      <ProgressBar job={job} label="load" onCancel={() => cancelJob('load')} />
      {model && link === 'saved' && (
        <div className="warning detached" data-testid="model-detached">
          <p>
            The results below come from the session saved{restoredFrom ? ` at ${new Date(restoredFrom).toLocaleTimeString()}` : ''} for <strong>{model.label}</strong>. The browser does not keep model files: load the same files
            again to continue (checked by fingerprint {model.fingerprint.slice(0, 12)}…). Another model starts a new session.
          </p>
          <button type="button" onClick={() => void forgetSavedSession()} data-testid="forget-session">
            Forget the saved session
          </button>
        </div>
      )}
      {model && link === 'recovering' && (
        <p className="warning detached" data-testid="model-recovering">
          Loading {model.label} into the model worker and attaching the results computed so far…
        </p>
      )}
      {model && <ModelSummaryView model={model} />}
    </div>
  );
}
