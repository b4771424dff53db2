export * from './files';
export * from './dtype';
export * from './model';
export * from './tensor';
export * from './write';
export * from './graph';
