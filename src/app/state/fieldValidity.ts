/**
 * Which number fields hold invalid text right now, by form group, so the buttons that use
 * a group's values can be disabled and name the fields to fix. Kept out of the session
 * store because it is view state that is never saved or shared.
 */
import { create } from 'zustand';

/** The values an action reads: calibration (Profile), evaluation (Evaluate), prune (Learn, Save variant, Export, Share). */
export type FieldGroup = 'calibration' | 'evaluation' | 'prune';

interface FieldValidityState {
  /** Invalid field labels by field id. */
  invalid: Record<string, { group: FieldGroup; label: string }>;
  setInvalid(id: string, entry: { group: FieldGroup; label: string } | null): void;
}

export const useFieldValidity = create<FieldValidityState>((set) => ({
  invalid: {},
  setInvalid: (id, entry) =>
    set((s) => {
      if (entry === null && !(id in s.invalid)) return s;
      const invalid = { ...s.invalid };
      if (entry === null) delete invalid[id];
      else invalid[id] = entry;
      return { invalid };
    }),
}));

/**
 * Returns why an action that reads `groups` must wait, e.g. 'Fix the invalid value of
 * "Samples per dataset" first.', or null when every field of those groups is valid.
 */
export function useInvalidFieldsReason(...groups: FieldGroup[]): string | null {
  const labels = useFieldValidity((s) =>
    Object.values(s.invalid)
      .filter((entry) => groups.includes(entry.group))
      .map((entry) => entry.label)
      .join('\u0000'),
  );
  if (!labels) return null;
  const names = labels.split('\u0000').map((label) => `"${label}"`);
  return `Fix the invalid value${names.length === 1 ? '' : 's'} of ${names.join(', ')} first.`;
}
