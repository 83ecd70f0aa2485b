// The engine host: the main process's handle on the engine process. Requests go out as messages and come back as
// promises (tokens and prefill progress as callbacks on the way). If the engine process dies — a crash, an
// out-of-memory abort, a kill — every request in flight fails with EngineCrashedError, and the next request starts a
// new process and loads the same model again; the session state is gone, so callers keep what matters in the store
// (conversations, prompt snapshots) and rebuild from there.
import type { EngineOp, EngineOps, EngineReply, EngineRequest, LoadRequest, LoadedInfo } from './protocol.js';

/** How the host reaches an engine process (a Node child process here, Electron's utilityProcess in the app). */
export interface EngineConnection {
  send(request: EngineRequest): void;
  onReply(handler: (reply: EngineReply) => void): void;
  /** Called once when the process is gone, with what is known about why. */
  onExit(handler: (exit: { code: number | null; signal: string | null; stderr: string }) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

export class EngineCrashedError extends Error {
  override readonly name = 'EngineCrashedError';
  constructor(readonly code: number | null, readonly signal: string | null, readonly outOfMemory: boolean) {
    super(outOfMemory
      ? 'the engine ran out of memory and stopped; try a smaller context or model (it restarts on the next request)'
      : `the engine process stopped (${signal ? `signal ${signal}` : `exit code ${code}`}); it restarts on the next request`);
  }
}

/** An error the engine raised for one request (its name and message as the engine gave them). */
export class EngineRequestError extends Error {
  constructor(override readonly name: string, message: string) {
    super(message);
  }
}

export interface RequestCallbacks {
  onToken?: (token: number, text: string) => void;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  callbacks: RequestCallbacks;
}

export class EngineHost {
  private connection?: EngineConnection;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lastLoad?: LoadRequest;
  private sessionQueue: Promise<unknown> = Promise.resolve();
  private loadedInfo?: LoadedInfo;
  private sessions = 0;
  private closed = false;
  /** Engine processes started so far (the first, then one per restart after a crash). */
  starts = 0;

  constructor(private readonly connect: () => EngineConnection) {}

  /** What the engine has loaded (undefined before load, and after a crash until the next request reloads it). */
  get loaded(): LoadedInfo | undefined {
    return this.loadedInfo;
  }

  /** Whether a request is in flight or a caller holds (or waits for) the session. */
  get busy(): boolean {
    return this.pending.size > 0 || this.sessions > 0;
  }

  get pid(): number | undefined {
    return this.connection?.pid;
  }

  async load(request: LoadRequest): Promise<LoadedInfo> {
    this.lastLoad = request;
    this.loadedInfo = await this.request('load', request);
    return this.loadedInfo;
  }

  /** Sends one request; restarts the engine (and reloads its model) first if it is not running. */
  async request<K extends EngineOp>(op: K, payload: EngineOps[K][0], callbacks: RequestCallbacks = {}): Promise<EngineOps[K][1]> {
    callbacks.signal?.throwIfAborted();
    if (this.closed) throw new EngineRequestError('EngineClosedError', 'this model was unloaded; load one in Models');
    if (!this.connection) {
      this.start();
      if (op !== 'load' && this.lastLoad) this.loadedInfo = await this.send('load', this.lastLoad, {});
    }
    return this.send(op, payload, callbacks);
  }

  private send<K extends EngineOp>(op: K, payload: EngineOps[K][0], callbacks: RequestCallbacks): Promise<EngineOps[K][1]> {
    const id = this.nextId++;
    const connection = this.connection!;
    return new Promise<EngineOps[K][1]>((resolve, reject) => {
      const onAbort = (): void => connection.send({ id: this.nextId++, op: 'cancel', target: id });
      callbacks.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (r) => {
          callbacks.signal?.removeEventListener('abort', onAbort);
          resolve(r as EngineOps[K][1]);
        },
        reject: (e) => {
          callbacks.signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
        callbacks,
      });
      connection.send({ id, op, payload } as EngineRequest);
    });
  }

  private start(): void {
    const connection = this.connect();
    this.connection = connection;
    this.starts++;
    connection.onReply((reply) => this.receive(reply));
    connection.onExit(({ code, signal, stderr }) => {
      if (this.connection !== connection) return;
      this.connection = undefined;
      this.loadedInfo = undefined;
      const error = new EngineCrashedError(code, signal, /out of memory|Allocation failed|ENOMEM|bad_alloc/i.test(stderr));
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
  }

  private receive(reply: EngineReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.type === 'token') p.callbacks.onToken?.(reply.token, reply.text);
    else if (reply.type === 'progress') p.callbacks.onProgress?.(reply.done, reply.total);
    else {
      this.pending.delete(reply.id);
      if (reply.type === 'done') p.resolve(reply.result);
      else p.reject(new EngineRequestError(reply.error.name, reply.error.message));
    }
  }

  /**
   * Runs `work` with the engine's session to itself: requests that build on each other's session state (reset →
   * evaluate → generate) from one caller are not interleaved with another caller's (a chat while a batch runs).
   */
  withSession<T>(work: () => Promise<T>): Promise<T> {
    this.sessions++;
    const run = this.sessionQueue.then(work, work).finally(() => this.sessions--);
    this.sessionQueue = run.catch(() => undefined);
    return run;
  }

  /** Stops the engine process; pending requests fail, and later requests are refused (the model was unloaded). */
  close(): void {
    this.closed = true;
    this.connection?.kill();
  }

}
