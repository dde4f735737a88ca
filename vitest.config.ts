import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Lab integration tests bind loopback addresses; each file owns its own 127.x range.
    pool: "forks",
    // A developer's DATABASE_URL must not receive the tests' inventories (empty means the embedded PGlite);
    // the PostgreSQL tests name their own database (src/inventory/__fixtures__/backends.ts).
    env: { DATABASE_URL: "" },
  },
});
