// The engine process: one loaded model (and projector) with one session, driven by EngineRequest messages from the
// host. Prefill runs a batch at a time with a turn of the event loop in between, and generation a token at a time,
// so a cancel arriving mid-request is seen. Started by the host (child process now, utilityProcess in the app).
import { generateJsonFields, loadModel, type LoadedModel, type Session } from '../../../engine/runtime/index.js';
import { checkProjectorFitsModel, loadVisionModel, type VisionModel } from '../../../engine/vision/index.js';
import type { EngineOps, EngineReply, EngineRequest, PromptPart } from './protocol.js';

export interface Channel {
  send(message: EngineReply): void;
  onMessage(handler: (message: EngineRequest) => void): void;
}

class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class EngineProcess {
  private model?: LoadedModel;
  private vision?: VisionModel;
  private session?: Session;
  private readonly cancelled = new Set<number>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly channel: Channel) {
    channel.onMessage((message) => {
      if (message.op === 'cancel') {
        this.cancelled.add(message.target);
        return;
      }
      // One request at a time, in order: the session is a single sequence.
      this.queue = this.queue.then(() => this.handle(message));
    });
  }

  private async handle(request: Exclude<EngineRequest, { op: 'cancel' }>): Promise<void> {
    const { id } = request;
    try {
      const result = await this.run(request);
      this.channel.send({ id, type: 'done', result });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      this.channel.send({ id, type: 'error', error: { name: e.name, message: e.message } });
    } finally {
      this.cancelled.delete(id);
    }
  }

  private checkCancel(id: number): void {
    if (this.cancelled.has(id)) throw new CancelledError('cancelled');
  }

  private loaded(): { model: LoadedModel; session: Session } {
    if (!this.model || !this.session) throw new Error('no model is loaded in the engine');
    return { model: this.model, session: this.session };
  }

  private async run(request: Exclude<EngineRequest, { op: 'cancel' }>): Promise<EngineOps[typeof request.op][1]> {
    switch (request.op) {
      case 'load': {
        const p = request.payload;
        this.model = await loadModel(p.model, { ...(p.backend ? { backend: p.backend } : {}), ...(p.threads ? { threads: p.threads } : {}) });
        this.vision = p.mmproj ? loadVisionModel(p.mmproj, this.model.model.backend) : undefined;
        if (this.vision) checkProjectorFitsModel(this.vision.config, this.model.config);
        this.session = this.model.createSession({
          ...(p.contextSize ? { contextSize: p.contextSize } : {}), ...(p.batchSize ? { batchSize: p.batchSize } : {}), ...(p.kvType ? { kvType: p.kvType } : {}),
        });
        return {
          model: p.model, fingerprint: this.model.fingerprint, contextSize: this.session.contextSize, trainedContext: this.model.config.contextLength,
          nEmbd: this.model.config.nEmbd,
          ...(this.vision ? { vision: { path: this.vision.path, fingerprint: this.vision.fingerprint, tokensPerImage: this.vision.config.tokensPerImage } } : {}),
        };
      }
      case 'tokenize': {
        const { text, addSpecial, parseSpecial } = request.payload;
        return this.loaded().model.tokenize(text, { ...(addSpecial !== undefined ? { addSpecial } : {}), ...(parseSpecial !== undefined ? { parseSpecial } : {}) });
      }
      case 'countTokens': {
        const { model } = this.loaded();
        return request.payload.texts.map((text) => model.tokenize(text, { addSpecial: false }).length);
      }
      case 'tokenizeChat':
        return this.loaded().model.tokenizeChat(request.payload.messages, request.payload.addGenerationPrompt ?? true);
      case 'reset':
        this.loaded().session.reset();
        return null;
      case 'evaluate':
        await this.feed(request.id, request.payload.prompt);
        return { tokens: this.loaded().session.tokens.length };
      case 'generate':
        return this.generate(request.id, request.payload);
      case 'generateJson': {
        const { model, session } = this.loaded();
        const { prompt, keys, sampling, maxValueTokens } = request.payload;
        await this.feed(request.id, prompt);
        this.checkCancel(request.id);
        // Bounded (fields × maxValueTokens tokens) and synchronous: a cancel is seen before it starts, not during.
        return generateJsonFields(session, model, keys, { ...(sampling ? { sampling } : {}), ...(maxValueTokens ? { maxValueTokens } : {}) });
      }
      case 'embedImage': {
        if (!this.vision) throw new Error('no vision projector is loaded (load the model with its mmproj file)');
        const { image, panAndScan } = request.payload;
        const out = panAndScan ? this.vision.encodePanAndScan(image, panAndScan) : { embeddings: [this.vision.encode(image)], crops: 0 };
        return { ...out, fingerprint: this.vision.fingerprint };
      }
      case 'snapshot': {
        const { session } = this.loaded();
        return { data: session.snapshot(), tokens: session.tokens.length };
      }
      case 'restore': {
        const { session } = this.loaded();
        session.restore(request.payload.data);
        return { tokens: session.tokens.length };
      }
      case 'state': {
        const { session } = this.loaded();
        return { tokens: session.tokens.length, contextSize: session.contextSize, kv: session.memory(), rssBytes: process.memoryUsage().rss };
      }
    }
  }

  /** Appends the parts a batch at a time, reporting progress and yielding between batches. */
  private async feed(id: number, parts: PromptPart[]): Promise<void> {
    const { session } = this.loaded();
    const total = parts.reduce((n, p) => n + ('tokens' in p ? p.tokens.length : 1), 0);
    let done = 0;
    for (const part of parts) {
      if ('image' in part) {
        this.checkCancel(id);
        session.evaluateImage(part.image);
        done += 1;
      } else {
        for (let i = 0; i < part.tokens.length; i += session.batchSize) {
          this.checkCancel(id);
          const chunk = part.tokens.slice(i, i + session.batchSize);
          session.evaluate(chunk);
          done += chunk.length;
          this.channel.send({ id, type: 'progress', done, total });
          await turn();
        }
      }
    }
  }

  private async generate(id: number, request: EngineOps['generate'][0]): Promise<EngineOps['generate'][1]> {
    const { session } = this.loaded();
    const parts = request.prompt;
    const last = parts.at(-1);
    // generate() needs the last prompt tokens itself (it samples from their logits): feed everything before them.
    const tail = last && 'tokens' in last && last.tokens.length > 0 ? last.tokens.slice(-1) : [];
    const head = tail.length ? [...parts.slice(0, -1), { tokens: (last as { tokens: number[] }).tokens.slice(0, -1) }] : parts;
    await this.feed(id, head);
    if (tail.length === 0) throw new Error('generation needs the prompt to end with text tokens (the turn marker that starts the answer)');
    const tokens: number[] = [];
    let text = '';
    const abort = new AbortController();
    try {
      for await (const t of session.generate(tail, { ...request.sampling, ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}), signal: abort.signal })) {
        if (this.cancelled.has(id)) abort.abort();
        if (t.eog) return { tokens, text: text + t.text, stop: 'eog' };
        tokens.push(t.token);
        text += t.text;
        this.channel.send({ id, type: 'token', token: t.token, text: t.text });
        if (this.cancelled.has(id)) return { tokens, text, stop: 'cancelled' };
      }
    } catch (error) {
      if (abort.signal.aborted) return { tokens, text, stop: 'cancelled' };
      throw error;
    }
    return { tokens, text, stop: 'max-tokens' };
  }
}

// Electron's utility process (the desktop app) has a parentPort; a Node child process (the CLI, `quire serve`) has
// Node's IPC channel.
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const parentPort = (process as { parentPort?: ParentPort }).parentPort;

if (process.env.QUIRE_ENGINE_PROCESS === '1' && parentPort) {
  new EngineProcess({
    send: (message) => parentPort.postMessage(message),
    onMessage: (handler) => parentPort.on('message', (e) => handler(e.data as EngineRequest)),
  });
} else if (process.env.QUIRE_ENGINE_PROCESS === '1' && process.send) {
  new EngineProcess({
    send: (message) => process.send!(message),
    onMessage: (handler) => process.on('message', (m) => handler(m as EngineRequest)),
  });
  // The host is gone (even killed with SIGKILL): nothing can use this engine any more.
  process.on('disconnect', () => process.exit(0));
}
