/**
 * The contract of a task template: how records of each supported shape become items.
 */
import type { TaskRecord } from './fields';
import type { TaskItem, TaskKind } from './types';

/**
 * `llm-foundry`: MosaicML LLM Foundry's local eval files (query/choices/gold,
 * context_options/continuation/gold, context/continuation). `huggingface`: the fields of
 * the Hugging Face datasets that lm-evaluation-harness reads.
 */
export type RecordShape = 'llm-foundry' | 'huggingface';

export interface TaskTemplate {
  /** Task id, as lm-evaluation-harness names it. */
  id: string;
  /** Other names accepted for the task and for its file, e.g. `openbook_qa`. */
  aliases: readonly string[];
  kind: TaskKind;
  hasAccNorm: boolean;
  /** The prompt in one line, printed beside results. */
  template: string;
  /**
   * Converts one JSON record, detecting its shape from the fields present. `kind` is set
   * when the record decides it (the generic template), else the template's kind holds.
   */
  fromRecord(record: TaskRecord, where: string): { item: TaskItem; shape: RecordShape; kind?: TaskKind };
}
