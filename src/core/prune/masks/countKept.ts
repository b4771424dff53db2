/** Counts the kept neurons (non-zero entries) of each layer's mask. */
export function countKept(masks: readonly Uint8Array[]): number[] {
  return masks.map((mask) => mask.reduce((kept, entry) => kept + (entry !== 0 ? 1 : 0), 0));
}
