/**
 * Names of the inputs and outputs that instrumentation adds. Stable: the runtime, the CLI
 * and the worker feed and fetch them by these names.
 */
export const TOKEN_WEIGHT = 'gprune_token_weight';
export const TOKEN_COUNT = 'gprune_tokens';
export const LABELS = 'gprune_labels';
export const NLL = 'gprune_nll';
export const maskInput = (layer: number) => `gprune_mask_${layer}`;
export const biasInput = (layer: number) => `gprune_bias_${layer}`;
export const statsOutput = (layer: number) => `gprune_stats_${layer}`;
