/** Public surface of the PE parser. */
export * from './image-reader.js';
export * from './file-image-reader.js';
export * from './pe-headers.js';
export * from './pe-exports.js';
export * from './runtime-functions.js';
export * from './unwind-info.js';
export * from './debug-directory.js';
export * from './pe-image.js';
