export * from './shapes.js';
export * from './vocab.js';
export * from './gemma3-synth.js';
export * from './mmproj-synth.js';
