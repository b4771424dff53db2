/**
 * Finds the file of a task among file paths, by base name: `arc_easy.jsonl` for arc_easy,
 * `openbook_qa.jsonl` for openbookqa (an alias), `hellaswag_val_full.txt` for hellaswag.
 */
import { GpruneError } from '../../errors';
import { findTaskTemplate, normalizeTaskName } from './catalog';

const JSON_EXTENSIONS = /\.(jsonl|ndjson|json)$/i;

/** Returns the base name without folders and extension, normalized like task names, or null for other file types. */
function stem(path: string, allowText: boolean): string | null {
  const base = path.split(/[\\/]/).pop() ?? path;
  if (JSON_EXTENSIONS.test(base)) return normalizeTaskName(base.replace(JSON_EXTENSIONS, ''));
  if (allowText && /\.txt$/i.test(base)) return normalizeTaskName(base.replace(/\.txt$/i, ''));
  return null;
}

/**
 * Returns the path whose base name is the task's id or an alias. Failing that, it returns
 * the one whose base name starts with the id or alias and "_" or "." (`hellaswag_val_full.txt`,
 * `piqa_validation.jsonl`). `.txt` files count for hellaswag only. Returns undefined when
 * nothing matches, and raises INVALID_ARGUMENT when several paths match equally well.
 */
export function resolveTaskFile(task: string, paths: readonly string[]): string | undefined {
  const template = findTaskTemplate(task);
  const names = [normalizeTaskName(task), ...(template ? [template.id, ...template.aliases.map(normalizeTaskName)] : [])];
  const allowText = template?.id === 'hellaswag';
  const exact: string[] = [];
  const prefixed: string[] = [];
  for (const path of paths) {
    const name = stem(path, allowText);
    if (name === null) continue;
    if (names.includes(name)) exact.push(path);
    else if (names.some((n) => name.startsWith(`${n}_`) || name.startsWith(`${n}.`))) prefixed.push(path);
  }
  const best = exact.length > 0 ? exact : prefixed;
  if (best.length > 1) {
    throw new GpruneError('INVALID_ARGUMENT', `Task ${task} matches several files: ${best.join(', ')}. Name the file with ${task}=FILE.`, { details: { task, candidates: best } });
  }
  return best[0];
}
