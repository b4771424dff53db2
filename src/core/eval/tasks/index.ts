export type { TaskId, TaskKind, ScoringRequest, TaskItem, ZeroShotTask } from './types';
export type { RecordShape, TaskTemplate } from './template';
export { TASK_TEMPLATES, findTaskTemplate, genericTemplate, normalizeTaskName } from './catalog';
export { parseTask } from './parseTask';
export type { TaskFile, ParseTaskOptions } from './parseTask';
export { resolveTaskFile } from './resolveTaskFile';
export { preprocessHellaswag, capitalizeLikePython, parseHellaswagText } from './hellaswag';
