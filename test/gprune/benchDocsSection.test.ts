import { describe, expect, it } from 'vitest';
import { replaceSection, SECTION_BEGIN, SECTION_END } from '../../bench/generalization/docsSection';

describe('replaceSection', () => {
  it('replaceSection on an empty file adds title, markers and findings', () => {
    const document = replaceSection('', 'TABLE 1');
    expect(document.startsWith('# Benchmarks\n')).toBe(true);
    expect(document).toContain(`${SECTION_BEGIN}\nTABLE 1\n${SECTION_END}`);
    expect(document).toContain('### Findings');
  });

  it('replaceSection keeps the other sections and the findings', () => {
    const before = `# Benchmarks\n\n## Profiling overhead\n\nother team's numbers\n\n## Generalization\n\n${SECTION_BEGIN}\nOLD TABLE\n${SECTION_END}\n\n### Findings\n\nhand-written text\n\n## Export speed\n\nmore numbers\n`;
    const after = replaceSection(before, 'NEW TABLE\n');
    expect(after).toContain(`${SECTION_BEGIN}\nNEW TABLE\n${SECTION_END}`);
    expect(after).not.toContain('OLD TABLE');
    expect(after.replace(/<!-- generalization:begin[^]*generalization:end -->/, '')).toBe(before.replace(/<!-- generalization:begin[^]*generalization:end -->/, ''));
  });

  it('replaceSection appends after existing text without markers', () => {
    const after = replaceSection('# Benchmarks\n\n## Profiling overhead\n\nnumbers\n', 'TABLE');
    expect(after.startsWith('# Benchmarks\n\n## Profiling overhead\n\nnumbers\n')).toBe(true);
    expect(after.indexOf(SECTION_BEGIN)).toBeGreaterThan(after.indexOf('numbers'));
  });
});
