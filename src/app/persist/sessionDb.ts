/**
 * IndexedDB storage of the saved session: the session document, the analysis arrays of
 * its plan, and the files of the user's own datasets. Failures (private windows, quota)
 * are logged and treated as "nothing saved", because saving only spares work.
 */
import { logger } from '../../core/log';
import type { AnalysisData } from '../../../workers/studio/api';
import type { SavedSession } from './snapshot';

const log = logger('autosave');

/** Separate from the worker's statistics cache ('gprune-studio'), so neither upgrade blocks the other. */
const DB_NAME = 'gprune-studio-session';
const SESSION = 'session';
const DATASETS = 'datasets';
const CURRENT = 'current';
const ANALYSIS = 'analysis';

/** A saved dataset file. */
export interface SavedDataset {
  id: string;
  file: Blob;
}

let database: Promise<IDBDatabase | null> | null = null;

function open(): Promise<IDBDatabase | null> {
  database ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null);
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(SESSION);
      request.result.createObjectStore(DATASETS);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      log.warn(`IndexedDB ${DB_NAME} could not be opened (${request.error?.message}); the session will not be saved`);
      resolve(null);
    };
    request.onblocked = () => resolve(null);
  });
  return database;
}

function done(transaction: IDBTransaction, what: string): Promise<boolean> {
  return new Promise((resolve) => {
    transaction.oncomplete = () => resolve(true);
    transaction.onerror = () => {
      log.warn(`${what} failed (${transaction.error?.message})`);
      resolve(false);
    };
    transaction.onabort = () => resolve(false);
  });
}

function read<T>(store: string, key: string): Promise<T | undefined> {
  return open().then(
    (db) =>
      new Promise<T | undefined>((resolve) => {
        if (!db) return resolve(undefined);
        const request = db.transaction(store, 'readonly').objectStore(store).get(key);
        request.onsuccess = () => resolve(request.result as T | undefined);
        request.onerror = () => {
          log.warn(`reading ${store}/${key} failed (${request.error?.message})`);
          resolve(undefined);
        };
      }),
  );
}

/** Stores the session and, when given, its analysis arrays; returns whether it was written. */
export async function writeSession(session: SavedSession, analysis?: AnalysisData | null): Promise<boolean> {
  const db = await open();
  if (!db) return false;
  const transaction = db.transaction(SESSION, 'readwrite');
  const store = transaction.objectStore(SESSION);
  store.put(session, CURRENT);
  if (analysis !== undefined) store.put(analysis, ANALYSIS);
  return done(transaction, 'saving the session');
}

export function readSession(): Promise<unknown> {
  return read<unknown>(SESSION, CURRENT);
}

export function readAnalysis(): Promise<AnalysisData | null> {
  return read<AnalysisData | null>(SESSION, ANALYSIS).then((analysis) => analysis ?? null);
}

/** Stores a dataset file the user added. */
export async function writeDataset(dataset: SavedDataset): Promise<boolean> {
  const db = await open();
  if (!db) return false;
  const transaction = db.transaction(DATASETS, 'readwrite');
  transaction.objectStore(DATASETS).put(dataset, dataset.id);
  return done(transaction, `saving dataset ${dataset.id}`);
}

export function readDataset(id: string): Promise<SavedDataset | undefined> {
  return read<SavedDataset>(DATASETS, id);
}

/** Deletes saved dataset files whose ids are not in `keep`. */
export async function pruneDatasets(keep: readonly string[]): Promise<void> {
  const db = await open();
  if (!db) return;
  const transaction = db.transaction(DATASETS, 'readwrite');
  const store = transaction.objectStore(DATASETS);
  const request = store.getAllKeys();
  request.onsuccess = () => {
    for (const key of request.result) if (!keep.includes(String(key))) store.delete(key);
  };
  await done(transaction, 'removing unused dataset files');
}

/** Deletes the saved session, its analysis and every saved dataset file. */
export async function clearSavedSession(): Promise<void> {
  const db = await open();
  if (!db) return;
  const transaction = db.transaction([SESSION, DATASETS], 'readwrite');
  transaction.objectStore(SESSION).clear();
  transaction.objectStore(DATASETS).clear();
  await done(transaction, 'clearing the saved session');
}
