// The API benchmark's client: GET requests over real HTTP on loopback (node:http, keep-alive), timed from the
// request's start to its body's last byte, sequentially or from C clients at once; latency percentiles and rate.
import http from "node:http";

/** One GET; resolves with the status, the parsed JSON body and the time taken (ms). Refuses a non-loopback host. */
export function get(agent, base, path, token) {
  const url = new URL(path, base);
  if (!["127.0.0.1", "[::1]", "localhost"].includes(url.hostname))
    throw new Error(`not loopback: ${url.host}`);
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const text = Buffer.concat(chunks).toString("utf8");
        let body;
        try {
          body = JSON.parse(text);
        } catch {
          body = { unparsed: text.slice(0, 200) };
        }
        resolve({ status: res.statusCode, body, ms });
      });
      res.on("error", reject);
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`timeout: ${path}`)));
    req.on("error", reject);
  });
}

/** The p-th percentile (0..100) of sorted values, by the nearest rank. */
export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

const r2 = (n) => Math.round(n * 100) / 100;

/** Latency summary of one run: count, p50/p95/p99/max ms, and requests a second over the run's wall time. */
export function summarize(times, wallMs) {
  const s = [...times].sort((a, b) => a - b);
  return {
    requests: s.length,
    p50: r2(percentile(s, 50)),
    p95: r2(percentile(s, 95)),
    p99: r2(percentile(s, 99)),
    max: r2(s[s.length - 1] ?? NaN),
    mean: r2(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    perSecond: r2((s.length * 1000) / wallMs),
  };
}

/**
 * `requests` GETs of path from `clients` clients at once (each its own token and connection), stopping early once
 * `maxSeconds` have passed. Every answer must be 200 with the expected shape, or the run fails: a fast error is no
 * result.
 */
export async function run({ base, path, tokens, clients, requests, maxSeconds, check }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const times = [];
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + maxSeconds * 1000;
  const client = async (c) => {
    while (started < requests && performance.now() < deadline) {
      started++;
      const r = await get(agent, base, path, tokens[c % tokens.length]);
      if (r.status !== 200)
        throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      check(r.body);
      times.push(r.ms);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const wall = performance.now() - t0;
  agent.destroy();
  return { clients, ...summarize(times, wall), stoppedEarly: times.length < requests };
}
