export * from './vocabulary.js';
export * from './spm-tokenizer.js';
export * from './detokenizer.js';
export * from './chat-template.js';
export * from './bench-prompt.js';
