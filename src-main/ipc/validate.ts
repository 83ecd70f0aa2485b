// Validation of everything that crosses into the main process (Electron IPC and `quire serve` alike): small
// composable checkers that either return the value, typed, or throw a ValidationError naming the bad field. Nothing
// unvalidated reaches a service: unknown keys are refused, strings and arrays have bounds, numbers are finite.

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(readonly path: string, message: string) {
    super(`${path || 'argument'}: ${message}`);
  }
}

export type Check<T> = (value: unknown, path: string) => T;

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

export const v = {
  string(options: { min?: number; max?: number; pattern?: RegExp } = {}): Check<string> {
    const { min = 0, max = 10_000, pattern } = options;
    return (value, path) => {
      if (typeof value !== 'string') throw new ValidationError(path, `expected a string, got ${describe(value)}`);
      if (value.length < min || value.length > max) throw new ValidationError(path, `expected ${min}–${max} characters, got ${value.length}`);
      if (value.includes('\u0000')) throw new ValidationError(path, 'contains a NUL character');
      if (pattern && !pattern.test(value)) throw new ValidationError(path, `does not have the expected form ${pattern}`);
      return value;
    };
  },
  integer(options: { min?: number; max?: number } = {}): Check<number> {
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
    return (value, path) => {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ValidationError(path, `expected a whole number, got ${describe(value)}`);
      if (value < min || value > max) throw new ValidationError(path, `expected ${min}–${max}, got ${value}`);
      return value;
    };
  },
  number(options: { min?: number; max?: number } = {}): Check<number> {
    const { min = -Infinity, max = Infinity } = options;
    return (value, path) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError(path, `expected a finite number, got ${describe(value)}`);
      if (value < min || value > max) throw new ValidationError(path, `expected ${min}–${max}, got ${value}`);
      return value;
    };
  },
  boolean(): Check<boolean> {
    return (value, path) => {
      if (typeof value !== 'boolean') throw new ValidationError(path, `expected true or false, got ${describe(value)}`);
      return value;
    };
  },
  literal<const T extends string>(...options: T[]): Check<T> {
    return (value, path) => {
      if (typeof value !== 'string' || !(options as string[]).includes(value)) throw new ValidationError(path, `expected one of ${options.join(', ')}`);
      return value as T;
    };
  },
  array<T>(item: Check<T>, options: { max?: number; min?: number } = {}): Check<T[]> {
    const { min = 0, max = 1000 } = options;
    return (value, path) => {
      if (!Array.isArray(value)) throw new ValidationError(path, `expected an array, got ${describe(value)}`);
      if (value.length < min || value.length > max) throw new ValidationError(path, `expected ${min}–${max} items, got ${value.length}`);
      return value.map((x, i) => item(x, `${path}[${i}]`));
    };
  },
  optional<T>(check: Check<T>): Check<T | undefined> & { optional: true } {
    const f = ((value: unknown, path: string) => (value === undefined ? undefined : check(value, path))) as Check<T | undefined> & { optional: true };
    f.optional = true;
    return f;
  },
  object<S extends Record<string, Check<unknown>>>(shape: S): Check<{ [K in keyof S]: ReturnType<S[K]> }> {
    return (value, path) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError(path, `expected an object, got ${describe(value)}`);
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new ValidationError(path, 'expected a plain object');
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(shape, key)) throw new ValidationError(path ? `${path}.${key}` : key, 'is not an accepted field');
      }
      const out: Record<string, unknown> = {};
      for (const [key, check] of Object.entries(shape)) {
        const field = check((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
        if (field !== undefined) out[key] = field;
      }
      return out as { [K in keyof S]: ReturnType<S[K]> };
    };
  },
};
