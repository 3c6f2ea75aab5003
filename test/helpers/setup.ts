/**
 * Runs before every test file (vitest.config.ts `setupFiles`). The workers reuse their module cache
 * from file to file (`isolate: false`), so what one file changes in the process must not reach
 * the next: after each file, timers are real again, spies are restored and TZ is what it was when
 * the suite started.
 */
import { afterAll, vi } from 'vitest';

afterAll(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  const tz = process.env.PARLANCE_SUITE_TZ;
  if (tz === undefined || tz === '') delete process.env.TZ;
  else process.env.TZ = tz;
});
