/**
 * Loading the tokenizer of a model folder and checking that its token ids fit the model's
 * embedding, for the CLI and the studio worker.
 */
import { type TextTokenizer, loadTokenizer } from '../data/tokenizer';
import { GpruneError } from '../errors';
import { type ModelFiles, dirname, joinPath, readAll } from '../onnx/files';
import { tensorDims } from '../onnx/tensor';
import type { LoadedModel } from '../run/loaded';

/** Largest tokenizer.json or tokenizer_config.json accepted, in bytes. Real ones are tens of megabytes at most, so a bigger file is the wrong file. */
export const MAX_TOKENIZER_BYTES = 256 * 1024 * 1024;

/** Lists the folders with a tokenizer.json in lookup order: the folder root, beside the .onnx file, one folder above it. */
function candidateFolders(files: ModelFiles, loaded?: Pick<LoadedModel, 'model'>): string[] {
  const folders = [''];
  if (loaded) {
    const modelDir = dirname(loaded.model.path);
    folders.push(modelDir, dirname(modelDir));
  }
  return [...new Set(folders)].filter((dir) => files.get(joinPath(dir, 'tokenizer.json')));
}

/**
 * Lists the vocabulary sizes the model states, by source: the logits' last dim, the rows of the
 * token embedding (the initializer a Gather reads with input_ids), config.json vocab_size.
 */
export function modelVocabularySizes(loaded: Pick<LoadedModel, 'model' | 'anatomy' | 'config'>): { source: string; size: number }[] {
  const sizes: { source: string; size: number }[] = [];
  if (loaded.anatomy.vocabSize !== undefined) sizes.push({ source: `the logits output (${loaded.anatomy.logits})`, size: loaded.anatomy.vocabSize });
  const inputIds = loaded.anatomy.inputs.inputIds;
  const graph = loaded.model.proto.graph!;
  const gather = graph.node.find((node) => node.opType === 'Gather' && node.input[1] === inputIds);
  const embedding = gather && graph.initializer.find((t) => t.name === gather.input[0]);
  if (embedding && embedding.dims.length === 2) sizes.push({ source: `the token embedding ${embedding.name}`, size: tensorDims(embedding)[0] });
  const configured = Number(loaded.config?.vocab_size);
  if (Number.isSafeInteger(configured) && configured > 0) sizes.push({ source: 'config.json vocab_size', size: configured });
  return sizes;
}

/**
 * Loads tokenizer.json (and tokenizer_config.json beside it) from the model folder. With
 * `loaded`, raises TOKENIZER_MISMATCH when a token id would fall outside the model's
 * vocabulary. Raises TOKENIZER_INVALID when tokenizer.json is missing or cannot be loaded.
 */
export async function loadTokenizerFiles(files: ModelFiles, loaded?: Pick<LoadedModel, 'model' | 'anatomy' | 'config'>): Promise<TextTokenizer> {
  const [folder] = candidateFolders(files, loaded);
  if (folder === undefined) {
    throw new GpruneError('TOKENIZER_INVALID', `${files.label} has no tokenizer.json. Copy the model's tokenizer.json and tokenizer_config.json into the folder.`);
  }
  const jsonPath = joinPath(folder, 'tokenizer.json');
  const configSource = files.get(joinPath(folder, 'tokenizer_config.json'));
  const decode = async (path: string, source: NonNullable<ReturnType<ModelFiles['get']>>) => {
    if (source.size > MAX_TOKENIZER_BYTES) {
      throw new GpruneError('TOKENIZER_INVALID', `${files.label}/${path} is ${source.size} bytes, more than the ${MAX_TOKENIZER_BYTES} bytes a tokenizer file can be. Check that it is the model's tokenizer.`);
    }
    return new TextDecoder().decode(await readAll(source));
  };
  const tokenizer = loadTokenizer({
    tokenizerJson: await decode(jsonPath, files.get(jsonPath)!),
    tokenizerConfig: configSource ? await decode(joinPath(folder, 'tokenizer_config.json'), configSource) : undefined,
    source: `${files.label}/${jsonPath}`,
  });
  if (loaded) {
    for (const { source, size } of modelVocabularySizes(loaded)) {
      if (tokenizer.vocabSize > size) {
        throw new GpruneError(
          'TOKENIZER_MISMATCH',
          `${files.label}/${jsonPath} has token ids up to ${tokenizer.vocabSize - 1}, but ${source} has only ${size} entries. Use the tokenizer saved with this model.`,
          { details: { tokenizerVocabSize: tokenizer.vocabSize, modelVocabSize: size } },
        );
      }
    }
  }
  return tokenizer;
}
