/**
 * Paths of the read-only shared fixtures and loaders for the stories260K models.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../src/core/engine';
import { type LoadedModel, loadModel } from '../../src/core/run/loaded';
import { createNodeEngine } from '../../src/runtime/nodeEngine';
import { nodeModelFiles } from '../../src/runtime/nodeFiles';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');

export type FixtureName = 'stories260K-llama' | 'stories260K-llama-kv';
export const FIXTURES: FixtureName[] = ['stories260K-llama', 'stories260K-llama-kv'];

export function fixtureDir(name: FixtureName): string {
  return path.join(SHARED_DIR, 'models', name);
}

export const TINYSTORIES_PATH = path.join(SHARED_DIR, 'assets/tinystories-valid/validation_100.txt');

/** The parts of a fixture's reference.json that tests use. */
export interface FixtureReference {
  prompt: string;
  prompt_ids_with_bos: number[];
  /** logits[0, p, 0:8] for p = 0..3 from onnxruntime-node. */
  first8_logits_pos0_3: number[][];
  tinystories_nll: { mean_nll: number; predicted_tokens: number; stories: number; max_tokens_per_story_incl_bos: number };
}

export function readReference(name: FixtureName): FixtureReference {
  return JSON.parse(readFileSync(path.join(fixtureDir(name), 'reference.json'), 'utf8')) as FixtureReference;
}

export async function loadFixture(name: FixtureName): Promise<LoadedModel> {
  return loadModel(await nodeModelFiles(fixtureDir(name)));
}

/** onnxruntime-node with one thread: the test machines share few cores. */
export function testEngine(): Engine {
  return createNodeEngine({ threads: 1 });
}

/** Creates an empty temporary folder; the returned function removes it. */
export async function makeTempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `gprune-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
