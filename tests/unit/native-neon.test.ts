// The arm64 NEON kernels, checked on any machine: tests/../native/test/neon-kernels.cc is cross-compiled for arm64
// with the NEON sources and the scalar twins, and run under qemu (a CPU model with the dot-product extension).
// .ci/run installs the cross compiler and qemu; without them the test is skipped locally but fails in CI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cxx = 'aarch64-linux-gnu-g++';
const qemu = ['qemu-aarch64-static', 'qemu-aarch64'].find((q) => spawnSync(q, ['--version']).status === 0);
const haveTools = spawnSync(cxx, ['--version']).status === 0 && qemu !== undefined;
const src = 'engine/backend/native/src';

describe.runIf(haveTools || process.env.CI)('NEON kernels (cross-built for arm64, run under qemu)', () => {
  it('Q4_0, Q5_0 and Q8_0 dot products agree with the scalar twins within the f32 reordering bound', () => {
    expect(haveTools, `${cxx} and qemu-aarch64 are needed (apt: g++-aarch64-linux-gnu qemu-user)`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'quire-neon-'));
    try {
      const exe = join(dir, 'neon-kernels');
      const build = spawnSync(cxx, ['-O2', '-std=c++17', '-static', '-o', exe, 'engine/backend/native/test/neon-kernels.cc',
        `${src}/activation.cc`, `${src}/cpu.cc`, `${src}/dot-neon.cc`, `${src}/dot-scalar.cc`], { encoding: 'utf8' });
      expect(build.status, build.stderr).toBe(0);
      const run = spawnSync(qemu!, ['-cpu', 'max', exe], { encoding: 'utf8' });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/ok Q4_0[\s\S]*ok Q5_0[\s\S]*ok Q8_0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
