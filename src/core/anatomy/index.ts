export * from './types';
export * from './ffn';
export * from './analyze';
export * from './quantized';
