import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Child processes, not worker threads: s3rver (tests/support/s3-server.ts) runs inside the test
    // process, and its continuation tokens need the legacy OpenSSL provider, otherwise paginated
    // listing answers 500. In vitest 4 `execArgv` is a top-level test option (poolOptions is gone).
    pool: 'forks',
    execArgv: ['--openssl-legacy-provider'],
    // Unit and storage tests; e2e OCR tests set their own (~120 s) per test.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
