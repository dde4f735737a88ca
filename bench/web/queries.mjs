// Where GET /api/v1/overview spends its time in the database: every statement the route sends is caught on its way
// (named after the store function that sends it), then each is run again alone, timed, and under
// EXPLAIN (ANALYZE, BUFFERS) with the same parameters.

/** The store functions of gatherSummary (src/report/document/gather.ts), known by their SQL. */
const NAMES = [
  ["complianceCounts", /GROUPING SETS/],
  ["complianceCounts: sites", /FROM sites s JOIN organizations o/],
  ["removalsByDay", /FROM remediation_steps st JOIN device_assessments a/],
  ["removalDays", /st\.device_id = ANY/],
  ["latestPlan", /FROM plans WHERE/],
  ["clearanceOf", /WITH want AS/],
  ["latestAssessment", /FROM assessments WHERE status = 'done'/],
  ["auditHead", /FROM audit_log/],
  ["listOrganizations", /FROM organizations/],
  ["authentication", /sessions|api_tokens|FROM users/],
];

export const nameOf = (sql) => NAMES.find(([, re]) => re.test(sql))?.[0] ?? "other";

/**
 * Wraps db.query in place (the store and workflow hold the same object). While `on`, each statement is recorded
 * with its parameters and the time from its call to its answer (on PGlite that includes waiting for the one
 * connection: gatherSummary starts its queries together).
 */
export function spy(db) {
  const s = { on: false, calls: [] };
  const query = db.query.bind(db);
  db.query = async (sql, params) => {
    if (!s.on) return query(sql, params);
    const t0 = performance.now();
    try {
      return await query(sql, params);
    } finally {
      s.calls.push({ name: nameOf(sql), sql, params: params ?? [], ms: performance.now() - t0 });
    }
  };
  s.query = query;
  return s;
}

export const clip = (line) => (line.length > 400 ? `${line.slice(0, 400)}… (${line.length} chars)` : line);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r2 = (x) => Math.round(x * 100) / 100;
/** Parameters as shown: a long array by its length only. */
const shown = (params) => params.map((p) => (Array.isArray(p) && p.length > 5 ? `[${p.length} values]` : p));

/**
 * Each distinct statement the overview sent (the per-site sweptSince once per kind, with how many times it ran):
 * its time alone (median of `reps`), and its plan with the execution time the server reports (the second of two
 * EXPLAIN ANALYZE runs: a warm cache).
 */
export async function explainAll(query, calls, reps = 5) {
  const groups = new Map();
  for (const c of calls) {
    const key = c.name === "other" ? c.sql : c.name;
    const g = groups.get(key) ?? { ...c, count: 0, inRequestMs: 0 };
    g.count++;
    g.inRequestMs += c.ms;
    groups.set(key, g);
  }
  const out = [];
  for (const g of groups.values()) {
    if (g.name === "authentication") continue;
    const times = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await query(g.sql, g.params);
      times.push(performance.now() - t0);
    }
    const q = `EXPLAIN (ANALYZE, BUFFERS) ${g.sql}`;
    await query(q, g.params);
    const { rows } = await query(q, g.params);
    // A plan line names a parameter array whole (removalDays: the plan's 25,518 ids): kept short.
    const plan = rows.map((r) => clip(r["QUERY PLAN"]));
    out.push({
      name: g.name,
      count: g.count,
      inRequestMs: r2(g.inRequestMs),
      aloneMs: r2(median(times)),
      executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan.join("\n"))?.[1] ?? NaN),
      sql: g.sql.replace(/\s+/g, " ").trim(),
      params: shown(g.params),
      plan,
    });
  }
  return out.sort((a, b) => b.aloneMs * b.count - a.aloneMs * a.count);
}
