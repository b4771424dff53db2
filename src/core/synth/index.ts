export * from './shapes';
export * from './random';
export * from './graphBuilder';
export * from './llamaGraph';
export * from './weights';
export * from './folderFiles';
export * from './generate';
