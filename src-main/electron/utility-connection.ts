// The engine process in the desktop app: Electron's utilityProcess (a Node process the browser process owns and
// reaps, without Electron's renderer machinery), running the bundled engine-process.mjs. Messages are structured
// clones (typed arrays travel as they are, as with the child process's advanced serialization); stderr is kept so
// the host can tell an out-of-memory death from another.
import { utilityProcess } from 'electron';
import type { EngineConnection } from '../services/engine-host/engine-host.js';
import type { EngineReply, EngineRequest } from '../services/engine-host/protocol.js';

const STDERR_KEEP = 16 * 1024;

export function utilityEngineConnection(entry: string): EngineConnection {
  const child = utilityProcess.fork(entry, [], {
    serviceName: 'Quire engine', stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, QUIRE_ENGINE_PROCESS: '1' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEEP);
  });
  let alive = true;
  child.once('exit', () => {
    alive = false;
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (request: EngineRequest) => {
      if (alive) child.postMessage(request);
    },
    onReply: (handler) => child.on('message', (m: unknown) => handler(m as EngineReply)),
    // utilityProcess reports an exit code only; a kill shows as a non-zero code.
    onExit: (handler) => child.once('exit', (code) => handler({ code, signal: null, stderr })),
    kill: () => void child.kill(),
  };
}
