export * from './names';
export * from './instrument';
export * from './slice';
export * from './compensation';
export * from './prune';
export * from './exportFolder';
