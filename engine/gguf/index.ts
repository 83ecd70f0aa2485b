export * from './value.js';
export * from './byte-source.js';
export * from './reader.js';
export * from './writer.js';
export * from './metadata.js';
export * from './fingerprint.js';
