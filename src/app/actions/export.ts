/**
 * Exporting the pruned model folder: as a downloaded ZIP archive, or written into a folder
 * picked with the File System Access API where the browser has it.
 */
import type { ExportRequest, ExportResult } from '../../../workers/studio/api';
import { modelReady } from '../state/sessionSlice';
import { studio } from '../state/store';
import { studioWorker } from '../worker/client';
import { currentCounts } from './counts';
import { reportError } from './errors';
import { runJob } from './jobs';
import { currentShareUrl } from './share';

interface DirectoryPickerWindow {
  showDirectoryPicker?: (options?: { mode?: 'read' | 'readwrite' }) => Promise<FileSystemDirectoryHandle>;
}

export function canWriteFolders(): boolean {
  return typeof (window as DirectoryPickerWindow).showDirectoryPicker === 'function';
}

function exportRequest(folder: string): ExportRequest {
  const state = studio.getState();
  return {
    moduleKeepCounts: currentCounts(state),
    folder,
    session: { settings: state.settings, overrides: state.overrides, learned: state.learned !== null, shareLink: currentShareUrl() },
  };
}

/** Folder name of the export: the model's label with "-pruned" and characters unsafe in file names replaced. */
export function exportFolderName(label: string): string {
  return `${label.replace(/[^\w.-]+/g, '_').replace(/\.onnx$/i, '') || 'model'}-pruned`;
}

export async function exportZip(): Promise<void> {
  const { model } = studio.getState();
  if (!model || !modelReady(studio.getState())) return;
  const folder = exportFolderName(model.label);
  // The previous archive is replaced in the worker's storage, so its link goes now; a new one appears only for a complete archive.
  studio.getState().setExported(null);
  try {
    const result = await runJob('export', (id, onProgress) => studioWorker().exportZip(exportRequest(folder), id, onProgress));
    const url = URL.createObjectURL(result.zip!);
    const fileName = `${folder}.zip`;
    studio.getState().setExported({ ...withoutZip(result), url, fileName, target: 'zip' });
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
  } catch (error) {
    reportError(error, 'Export');
  }
}

export async function exportToFolder(): Promise<void> {
  const picker = (window as DirectoryPickerWindow).showDirectoryPicker;
  if (!picker || !modelReady(studio.getState())) return;
  let folder: FileSystemDirectoryHandle;
  try {
    folder = await picker({ mode: 'readwrite' });
  } catch {
    return; // The user closed the picker.
  }
  studio.getState().setExported(null);
  try {
    const result = await runJob('export', (id, onProgress) => studioWorker().exportToDirectory(folder, exportRequest(''), id, onProgress));
    studio.getState().setExported({ ...withoutZip(result), url: null, fileName: folder.name, target: folder.name });
  } catch (error) {
    reportError(error, 'Export');
  }
}

function withoutZip(result: ExportResult): Omit<ExportResult, 'zip'> {
  const { zip: _zip, ...rest } = result;
  void _zip;
  return rest;
}
