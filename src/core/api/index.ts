export { inspectModel } from './inspectModel';
export type { InspectedModel } from './inspectModel';
export { summarizeModel } from './summary';
export type { ModelSummary } from './summary';
export { loadTokenizerFiles, modelVocabularySizes, MAX_TOKENIZER_BYTES } from './loadTokenizerFiles';
export { loadDatasetBytes } from './loadDatasetBytes';
