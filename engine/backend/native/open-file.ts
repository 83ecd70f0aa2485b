// A model file as a ByteSource: memory-mapped when the addon is built (tensors are views, never copied into the
// JavaScript heap), read into memory otherwise or where mapping is refused (Electron's V8 sandbox).
import { type ByteSource, FileByteSource, MappedByteSource } from '../../gguf/index.js';
import { native } from './index.js';

export function openModelFile(path: string): ByteSource {
  if (!native) return new FileByteSource(path);
  try {
    return new MappedByteSource(native.mmapFile(path));
  } catch {
    return new FileByteSource(path);
  }
}
