import { canWriteFolders, exportToFolder, exportZip } from '../actions/export';
import { cancelJob } from '../actions/jobs';
import { formatBytes, formatCount } from '../format';
import { modelReady } from '../state/sessionSlice';
import { useInvalidFieldsReason } from '../state/fieldValidity';
import { useStudio } from '../state/store';
import { ProgressBar } from './ProgressBar';

/** Step 7: write the pruned model folder, in the input's layout, as a ZIP download or into a chosen folder. */
export function ExportPanel() {
  const plan = useStudio((s) => s.plan);
  const job = useStudio((s) => s.jobs.export);
  const exported = useStudio((s) => s.exported);
  const attached = useStudio(modelReady);
  const invalidReason = useInvalidFieldsReason('prune');
  const ready = !!plan && !job && attached && invalidReason === null;
  return (
    <div>
      <p>
        Removes the pruned neurons physically (rows and columns of the FFN weights), keeps the input's file names and layout, copies the tokenizer and other files, updates{' '}
        <code>config.json</code> and adds <code>gprune_report.json</code>. The download link appears only for a complete archive; a folder export writes each file as{' '}
        <code>name.partial</code> and renames it when every file is written, and removes the partial files when the export fails or is cancelled.
      </p>
      <div className="buttons">
        <button type="button" className="primary" disabled={!ready} title={invalidReason ?? undefined} onClick={() => void exportZip()} data-testid="export-zip">
          Download .zip
        </button>
        {canWriteFolders() && (
          <button type="button" disabled={!ready} title={invalidReason ?? undefined} onClick={() => void exportToFolder()} data-testid="export-folder">
            Write to folder…
          </button>
        )}
      </div>
      <ProgressBar job={job} label="export" onCancel={() => cancelJob('export')} />
      {exported && (
        <div data-testid="export-result">
          <p>
            {exported.url ? (
              <a href={exported.url} download={exported.fileName}>
                {exported.fileName}
              </a>
            ) : (
              `Written to ${exported.target}`
            )}
            : model files {formatBytes(exported.modelBytesBefore)} → <strong data-testid="export-bytes">{formatBytes(exported.modelBytesAfter)}</strong>, parameters {formatCount(exported.parametersBefore)} → {formatCount(exported.parametersAfter)}, neurons
            per layer {exported.widths.join(', ')}.
          </p>
          <ul className="files">
            {exported.files.map((f) => (
              <li key={f.path}>
                {f.path} ({formatBytes(f.bytes)})
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
