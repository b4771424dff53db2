/**
 * Progress of long jobs, as a discriminated union on `phase`. Listeners get copies.
 */
export type ProgressEvent =
  | { phase: 'profile'; dataset: string; done: number; total: number; unit: 'tokens' }
  | { phase: 'eval'; dataset: string; done: number; total: number; unit: 'tokens' }
  | { phase: 'search'; done: number; total: number; unit: 'evaluations'; bestLoss: number; priorLoss: number }
  | { phase: 'export'; done: number; total: number; unit: 'bytes' }
  | { phase: 'score'; done: number; total: number; unit: 'items'; task: string };

export type ProgressListener = (event: ProgressEvent) => void;
