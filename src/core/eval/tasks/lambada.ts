/**
 * LAMBADA (OpenAI version): predict the last word of a passage. lm-evaluation-harness splits
 * `text` at its last space: the context is everything before, the target " {last word}".
 */
import { badRecord, has, stringField } from './fields';
import { lambadaItem } from './items';
import type { TaskTemplate } from './template';

export const LAMBADA_OPENAI: TaskTemplate = {
  id: 'lambada_openai',
  aliases: ['lambada'],
  kind: 'lambada',
  hasAccNorm: false,
  template: 'context "{text without its last word}", continuation " {last word}"',
  fromRecord(record, where) {
    if (has(record, 'context', 'continuation')) {
      return { item: lambadaItem(stringField(record, 'context', where), stringField(record, 'continuation', where), where), shape: 'llm-foundry' };
    }
    if (!has(record, 'text')) throw badRecord(where, 'the record has neither the LLM Foundry fields (context, continuation) nor the Hugging Face field "text"');
    const text = stringField(record, 'text', where);
    const cut = text.lastIndexOf(' ');
    if (cut < 0) throw badRecord(where, 'field "text" has no space, so it has no context before its last word');
    return { item: lambadaItem(text.slice(0, cut), text.slice(cut + 1), where), shape: 'huggingface' };
  },
};
