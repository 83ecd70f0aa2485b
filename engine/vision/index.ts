export * from './config.js';
export * from './weights.js';
export * from './pan-and-scan.js';
export * from './siglip.js';
export * from './image-blob.js';
export * from './preprocess.js';
export * from './vision-model.js';
export * from './resize-pillow.js';
