// An engine process as a Node child process (the CLI, `quire serve` and tests): engine-process.ts run through tsx,
// messages over the IPC channel with advanced serialization (typed arrays as they are), stderr kept to tell an
// out-of-memory death from another.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineConnection } from './engine-host.js';
import type { EngineReply, EngineRequest } from './protocol.js';

const ENTRY = fileURLToPath(new URL('./engine-process.ts', import.meta.url));
const STDERR_KEEP = 16 * 1024;

export interface ChildEngineOptions {
  /** V8 heap limit of the engine process in MiB (weights and KV cache live outside it; mainly for tests). */
  maxOldSpaceMb?: number;
  /** A JavaScript module to run as the engine instead, with its arguments, without tsx (the desktop app's bundle, in tests). */
  entry?: string;
  args?: string[];
}

export function childEngineConnection(options: ChildEngineOptions = {}): EngineConnection {
  const child = fork(options.entry ?? ENTRY, options.args ?? [], {
    execArgv: [...(options.entry ? [] : ['--import', 'tsx']), ...(options.maxOldSpaceMb ? [`--max-old-space-size=${options.maxOldSpaceMb}`] : [])],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, QUIRE_ENGINE_PROCESS: '1' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEEP);
  });
  return {
    pid: child.pid,
    send: (request: EngineRequest) => {
      if (child.connected) child.send(request);
    },
    onReply: (handler) => child.on('message', (m) => handler(m as EngineReply)),
    onExit: (handler) => child.once('exit', (code, signal) => handler({ code, signal, stderr })),
    kill: () => child.kill('SIGKILL'),
  };
}
