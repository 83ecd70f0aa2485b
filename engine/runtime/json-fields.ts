// Decoding constrained to a JSON schema of named fields, each {"value": string, "page": integer ≥ 0 (0: none)}:
//   {"parties": {"value": "…", "page": 2}, "effective_date": {"value": "…", "page": 0}, …}
// The structure (braces, keys, quotes) is forced — its tokens are evaluated, not sampled — and the model only
// chooses what the grammar allows where it has a choice: string content (tokens without quotes, backslashes or
// control characters; a token containing a quote or an end-of-generation ends the string) and page digits. Each
// value has a token limit after which the string is closed, so the output always parses and always fits the schema.
import { detokenize } from '../tokenizer/index.js';
import type { LoadedModel } from './loaded-model.js';
import { Sampler, type SamplerOptions } from './sampler.js';
import type { Session } from './session.js';

export interface JsonFieldsOptions {
  sampling?: SamplerOptions;
  /** Most tokens of one value's string (default 48). */
  maxValueTokens?: number;
  signal?: AbortSignal;
}

export interface JsonFieldValue {
  value: string;
  /** The page the value was read from, null when the model gave 0 (none). */
  page: number | null;
}

export interface JsonFieldsResult {
  /** The decoded text, exactly as generated: valid JSON of the schema. */
  json: string;
  fields: Record<string, JsonFieldValue>;
}

/** Per token: what it may be in a string value, a page number, or what ends them. */
interface TokenClasses {
  inString: Uint8Array;   // 1: may appear inside a string value
  endsString: Uint8Array; // 1: sampling it closes the string (a quote in it, or end of generation)
  digits: Uint8Array;     // 1: one to four digits 0-9, nothing else
  leading: Uint8Array;    // 1: a digits token that may start a JSON number ("0" alone, or no leading zero)
  anyDigit: boolean;
}

const classCache = new WeakMap<LoadedModel, TokenClasses>();

function tokenClasses(model: LoadedModel): TokenClasses {
  const cached = classCache.get(model);
  if (cached) return cached;
  const n = model.config.nVocab;
  const c: TokenClasses = { inString: new Uint8Array(n), endsString: new Uint8Array(n), digits: new Uint8Array(n), leading: new Uint8Array(n), anyDigit: false };
  for (let t = 0; t < n; t++) {
    if (model.vocab.isEog(t)) {
      c.endsString[t] = 1;
      continue;
    }
    const text = detokenize(model.vocab, [t]);
    if (text.length === 0) continue;
    if (text.includes('"')) c.endsString[t] = 1;
    // eslint-disable-next-line no-control-regex
    else if (!/[\\\u0000-\u001f\u007f\ufffd]/.test(text)) c.inString[t] = 1;
    if (/^[0-9]{1,4}$/.test(text)) {
      c.digits[t] = 1;
      if (text === '0' || text[0] !== '0') {
        c.leading[t] = 1;
        c.anyDigit = true;
      }
    }
  }
  classCache.set(model, c);
  return c;
}

/** logits with every token outside `allowed` (or either of two sets) removed. */
function mask(logits: Float32Array, allowed: Uint8Array, also?: Uint8Array): Float32Array {
  const out = Float32Array.from(logits);
  for (let t = 0; t < out.length; t++) if (!allowed[t] && !also?.[t]) out[t] = -Infinity;
  return out;
}

/**
 * Continues `session` (which already holds the prompt, ending where the JSON starts) with one JSON object of the
 * given keys. Returns the JSON text and the parsed fields.
 */
export function generateJsonFields(session: Session, model: LoadedModel, keys: string[], options: JsonFieldsOptions = {}): JsonFieldsResult {
  if (keys.length === 0) throw new RangeError('give at least one field');
  const classes = tokenClasses(model);
  const sampler = new Sampler(options.sampling);
  const maxValueTokens = options.maxValueTokens ?? 48;
  let json = '';
  let logits: Float32Array | undefined;
  const force = (text: string): void => {
    json += text;
    logits = session.evaluate(model.tokenize(text, { addSpecial: false }));
  };
  const fields: Record<string, JsonFieldValue> = {};
  keys.forEach((key, i) => {
    force(`${i === 0 ? '{' : ', '}${JSON.stringify(key)}: {"value": "`);
    let value = '';
    for (let step = 0; step < maxValueTokens; step++) {
      options.signal?.throwIfAborted();
      const token = sampler.sample(mask(logits!, classes.inString, classes.endsString), session.tokens);
      if (classes.endsString[token]) break;
      const text = detokenize(model.vocab, [token]);
      value += text;
      json += text;
      logits = session.evaluate([token]);
    }
    force('", "page": ');
    // At least one digit, then more digits or an end, up to four digits: 0 stands for "no page".
    let page = classes.anyDigit ? '' : '0';
    if (page) force(page);                                                     // a vocabulary without digit tokens
    while (page.length < 4 && page !== '0') {
      const token = sampler.sample(page === '' ? mask(logits!, classes.leading) : mask(logits!, classes.digits, classes.endsString), session.tokens);
      const text = detokenize(model.vocab, [token]);
      if (!classes.digits[token] || page.length + text.length > 4) break;
      page += text;
      json += text;
      logits = session.evaluate([token]);
    }
    force('}');
    fields[key] = { value: value.trim(), page: Number(page) > 0 ? Number(page) : null };
  });
  force('}');
  return { json, fields };
}
