export * from './errors.js';
export * from './sampler.js';
export * from './session.js';
export * from './loaded-model.js';
export * from './image-prompt.js';
export * from './session-snapshot.js';
export * from './json-fields.js';
