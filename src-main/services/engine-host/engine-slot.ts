// The app's one loaded model: at most one engine process at a time, switched on the user's word. Loading another
// model stops the old engine only once the new one has loaded (a failed load leaves the old one in place), and a
// switch is refused while the engine is answering or summarizing, so no running work loses its engine.
import { type EngineConnection, EngineHost } from './engine-host.js';
import type { LoadRequest, LoadedInfo } from './protocol.js';

export class EngineBusyError extends Error {
  override readonly name = 'EngineBusyError';
  constructor() {
    super('the model is busy (an answer or a batch is running): stop it, then change the model');
  }
}

export type SlotStatus =
  | { state: 'empty' }
  | { state: 'loading'; model: string }
  | { state: 'loaded'; model: string; info: LoadedInfo };

export class EngineSlot {
  private host?: EngineHost;
  private model?: string;
  private loadingModel?: string;

  constructor(private readonly connect: () => EngineConnection) {}

  /** A slot around an engine loaded elsewhere (`quire serve -m`, tests). */
  static holding(host: EngineHost, model: string, connect: () => EngineConnection): EngineSlot {
    const slot = new EngineSlot(connect);
    slot.host = host;
    slot.model = model;
    return slot;
  }

  /** The loaded engine, if any. */
  get current(): EngineHost | undefined {
    return this.host;
  }

  status(): SlotStatus {
    if (this.loadingModel) return { state: 'loading', model: this.loadingModel };
    if (this.host?.loaded && this.model) return { state: 'loaded', model: this.model, info: this.host.loaded };
    return { state: 'empty' };
  }

  /** Loads `request` as `model` (a registry name or a path), replacing the current engine once it has loaded. */
  async load(model: string, request: LoadRequest, isBusy: () => boolean = () => false): Promise<LoadedInfo> {
    if (this.loadingModel) throw new EngineBusyError();
    if (this.host?.busy || isBusy()) throw new EngineBusyError();
    this.loadingModel = model;
    const next = new EngineHost(this.connect);
    try {
      const info = await next.load(request);
      this.host?.close();
      this.host = next;
      this.model = model;
      return info;
    } catch (error) {
      next.close();
      throw error;
    } finally {
      this.loadingModel = undefined;
    }
  }

  /** Stops the engine (refused while it works), freeing its memory. */
  unload(isBusy: () => boolean = () => false): void {
    if (this.host?.busy || isBusy()) throw new EngineBusyError();
    this.close();
  }

  close(): void {
    this.host?.close();
    this.host = undefined;
    this.model = undefined;
  }
}
