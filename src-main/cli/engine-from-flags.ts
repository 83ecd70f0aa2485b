// The engine for commands that talk to documents (`quire ask`, `quire chat DOC`): in its own process, with the
// model (and projector) from -m / --mmproj and the context, KV, backend and thread flags.
import { EngineHost, childEngineConnection, type LoadRequest } from '../services/engine-host/index.js';
import { integerOption } from './args.js';
import { sessionFromFlags } from './sampling-flags.js';
import { UsageError } from './usage-error.js';

export async function engineFromFlags(values: Record<string, string | boolean | undefined>): Promise<EngineHost> {
  if (typeof values.model !== 'string') throw new UsageError('-m FILE is required (the Gemma 3 model, .gguf)');
  const session = sessionFromFlags(values);
  const backend = values.backend;
  if (backend !== undefined && backend !== 'native' && backend !== 'reference') throw new UsageError('--backend must be native or reference');
  const threads = integerOption(values.threads as string | undefined, '--threads', 1);
  const request: LoadRequest = {
    model: values.model, ...(typeof values.mmproj === 'string' ? { mmproj: values.mmproj } : {}), ...(backend ? { backend } : {}),
    ...(threads ? { threads } : {}), ...(session.contextSize ? { contextSize: session.contextSize } : {}), ...(session.kvType ? { kvType: session.kvType } : {}),
  };
  const engine = new EngineHost(() => childEngineConnection());
  try {
    await engine.load(request);
  } catch (error) {
    engine.close();
    throw error;
  }
  return engine;
}
