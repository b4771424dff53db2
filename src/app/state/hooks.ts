/**
 * Derived values for components, memoised on the store fields they come from (a selector
 * returning a new array on every call would re-render without end).
 */
import { useMemo } from 'react';
import { currentCounts, moduleShapes } from '../actions/counts';
import { keptFfnParameters } from '../../core/views/moduleKeeps';
import { useStudio } from './store';

/** Module keep counts in force: the plan's or learned counts with the overrides applied. */
export function useCurrentCounts(): number[] {
  const plan = useStudio((s) => s.plan);
  const baseCounts = useStudio((s) => s.baseCounts);
  const overrides = useStudio((s) => s.overrides);
  return useMemo(() => currentCounts({ plan, baseCounts, overrides }), [plan, baseCounts, overrides]);
}

/** FFN parameters the counts in force keep. */
export function useKeptFfnParameters(): number {
  const plan = useStudio((s) => s.plan);
  const counts = useCurrentCounts();
  return useMemo(() => keptFfnParameters(moduleShapes({ plan }), counts), [plan, counts]);
}
