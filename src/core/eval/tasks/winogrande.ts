/**
 * WinoGrande with lm-evaluation-harness's partial evaluation: each option fills the blank
 * "_", and the log-likelihood of the shared rest of the sentence is compared.
 */
import { type TaskRecord, badRecord, checkGold, has, indexField, stringField, stringListField } from './fields';
import { partialItem } from './items';
import type { TaskTemplate } from './template';

export const WINOGRANDE: TaskTemplate = {
  id: 'winogrande',
  aliases: [],
  kind: 'choice',
  hasAccNorm: true,
  template: 'contexts "{sentence before _}{option}", continuation " {sentence after _}" (partial evaluation)',
  fromRecord(record, where) {
    if (has(record, 'context_options')) {
      const contexts = stringListField(record, 'context_options', where);
      const gold = checkGold(indexField(record, 'gold', where), contexts.length, 'gold', where);
      return { item: partialItem(contexts, stringField(record, 'continuation', where), gold, where), shape: 'llm-foundry' };
    }
    if (!has(record, 'sentence', 'option1', 'option2', 'answer')) {
      throw badRecord(where, 'the record has neither the LLM Foundry fields (context_options, continuation, gold) nor the Hugging Face fields (sentence, option1, option2, answer)');
    }
    return { item: fromSentence(record, where), shape: 'huggingface' };
  },
};

function fromSentence(record: TaskRecord, where: string) {
  const sentence = stringField(record, 'sentence', where);
  const blank = sentence.indexOf('_');
  if (blank < 0) throw badRecord(where, 'field "sentence" has no blank "_" for the options to fill');
  const options = [stringField(record, 'option1', where), stringField(record, 'option2', where)];
  // The field "answer" is "1" or "2".
  const gold = checkGold(indexField(record, 'answer', where) - 1, 2, 'answer (1 or 2) minus 1', where);
  const before = sentence.slice(0, blank);
  return partialItem(options.map((option) => before + option), sentence.slice(blank + 1), gold, where);
}
