/**
 * The task a dropped file most likely holds, from its name: the catalog task whose id or
 * alias the base name is or starts with, else the base name itself (read as LLM Foundry fields).
 */
import { TASK_TEMPLATES, normalizeTaskName, resolveTaskFile } from '../../core/eval/tasks';

export function guessTaskName(fileName: string): string {
  for (const template of TASK_TEMPLATES) {
    if (resolveTaskFile(template.id, [fileName])) return template.id;
  }
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return normalizeTaskName(base.replace(/\.[^.]+$/, '')) || 'task';
}
