export * from './protocol.js';
export * from './engine-host.js';
export * from './child-connection.js';
export * from './engine-slot.js';
