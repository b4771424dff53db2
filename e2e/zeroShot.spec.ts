import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { serveDemoModel } from './demoModel';

const ARTIFACTS = 'e2e/artifacts';
mkdirSync(ARTIFACTS, { recursive: true });

/** Six ARC-style items in LLM Foundry shape, gold at varying positions. */
const QUIZ = [
  { query: 'Lily went to the park. She saw a big', choices: ['dog', 'spoon', 'cloud', 'rocket'], gold: 0 },
  { query: 'Tom was very happy because he got a new', choices: ['the', 'toy', 'ran', 'blue'], gold: 1 },
  { query: 'Once upon a time, there was a little', choices: ['went', 'is', 'girl', 'of'], gold: 2 },
  { query: 'The sun was shining and the sky was', choices: ['dog', 'ate', 'under', 'blue'], gold: 3 },
  { query: 'Mom said, "Let us go to the', choices: ['park', 'jumped', 'very', 'she'], gold: 0 },
  { query: 'The cat liked to drink', choices: ['quickly', 'milk', 'tree', 'sad'], gold: 1 },
];
const QUIZ_JSONL = QUIZ.map((item) => JSON.stringify(item)).join('\n');

test('zero-shot tasks on the demo model: dense and a saved variant', async ({ page, context }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await serveDemoModel(context);
  await page.goto('/');

  await test.step('load, profile a few samples, save a variant', async () => {
    await page.getByTestId('load-demo').click();
    await expect(page.getByTestId('model-summary')).toContainText('onnx/model.onnx');
    await expect(page.getByTestId('datasets-table').getByText('loading…')).toHaveCount(0);
    await page.getByTestId('calib-samples').fill('8');
    await page.getByTestId('calib-seqlen').fill('64');
    await page.getByTestId('run-profile').click();
    await expect(page.getByTestId('profile-summary')).toBeVisible();
    await expect(page.getByTestId('save-variant')).toBeEnabled();
    await page.getByTestId('save-variant').click();
    await expect(page.getByTestId('variant-v1')).toBeChecked();
  });

  await test.step('a bad task file shows a notice naming it', async () => {
    await page.getByTestId('task-files').setInputFiles({ name: 'broken_quiz.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(`${JSON.stringify(QUIZ[0])}\n{"query": "no choices"}\n`) });
    await expect(page.getByTestId('notice-error')).toContainText('broken_quiz.jsonl line 2');
    await expect(page.getByTestId('task-file-broken_quiz.jsonl')).toContainText('unreadable');
    await page.getByRole('button', { name: 'remove broken_quiz.jsonl' }).click();
  });

  await test.step('drop a task file, guess its task, score it', async () => {
    await page.getByTestId('task-files').setInputFiles({ name: 'arc_easy_mini.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(QUIZ_JSONL) });
    await expect(page.getByTestId('task-type-arc_easy_mini.jsonl')).toHaveValue('arc_easy');
    await expect(page.getByTestId('task-file-arc_easy_mini.jsonl')).toContainText('llm-foundry');
    await page.getByTestId('task-limit').fill('6');
    await expect(page.getByTestId('task-file-arc_easy_mini.jsonl').locator('td').nth(2)).toHaveText('6');
    await page.getByTestId('run-tasks').click();

    const table = page.getByTestId('task-table');
    await expect(table).toBeVisible();
    for (const variant of ['dense', 'v1']) await expect(page.getByTestId(`task-acc-arc_easy-${variant}`)).toHaveText(/^\d+\.\d\d ± \d+\.\d\d$/);
    await expect(page.getByTestId('task-row-arc_easy').locator('td').nth(1)).toHaveText('6');
    await expect(page.getByTestId('task-average')).toContainText('average (1)');
    await expect(page.getByTestId('task-chart-arc_easy').locator('rect.task-bar')).toHaveCount(2);
    await expect(page.getByTestId('task-protocol')).toContainText('arc_easy');
    await expect(page.getByTestId('task-protocol')).toContainText('acc_norm divides by bytes');
    await page.getByTestId('zero-shot').screenshot({ path: `${ARTIFACTS}/zero-shot.png` });
  });

  expect(pageErrors).toEqual([]);
});
