/**
 * Opening a model folder for the CLI and the studio worker alike: parse, check external
 * data, find the FFN anatomy, read config.json, and summarise.
 */
import type { ModelFiles } from '../onnx/files';
import { type LoadedModel, loadModel } from '../run/loaded';
import { type ModelSummary, summarizeModel } from './summary';

/** A loaded model with its plain-data summary. */
export interface InspectedModel extends LoadedModel {
  summary: ModelSummary;
}

/**
 * Loads the model of `files` (`modelPath`, else onnx/model.onnx or the only .onnx file).
 * Raises GpruneError with the code of the first problem found: MODEL_FILE_NOT_FOUND,
 * ONNX_PARSE_FAILED, ONNX_NOT_A_MODEL, ONNX_TOO_LARGE, EXTERNAL_DATA_*, UNSUPPORTED_OPERATOR,
 * FFN_NOT_FOUND, GRAPH_PATTERN_MISMATCH or MODEL_INPUT_UNSUPPORTED.
 */
export async function inspectModel(files: ModelFiles, modelPath?: string): Promise<InspectedModel> {
  const loaded = await loadModel(files, modelPath);
  return { ...loaded, summary: summarizeModel(loaded) };
}
