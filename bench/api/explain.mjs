// The SQL the server runs for a list case, caught as it goes to the database, and its EXPLAIN ANALYZE: the plan is
// that of the exact statement and parameters (whichever store function the route calls, whatever it joins).

/**
 * Wraps db's query and transaction in place (the store holds the same object), keeping the last device-list
 * statement: a SELECT from devices with an ORDER BY, or the one a cursor is declared for.
 */
export function spy(db) {
  const seen = { last: null };
  const record = (sql, params) => {
    if (!/^\s*EXPLAIN/i.test(sql) && /\bFROM devices\b/.test(sql) && /\bORDER BY\b/.test(sql))
      seen.last = { sql, params: params ?? [] };
  };
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = (sql, params) => (record(sql, params), query(sql, params));
  db.transaction = (fn) =>
    transaction((tx) => fn({ ...tx, query: (sql, params) => (record(sql, params), tx.query(sql, params)) }));
  return seen;
}

/**
 * The plan (text lines) and the execution time the server reports, of the second of two runs (a warm cache). A
 * cursor's statement is explained as the DECLARE it was: the planner plans a cursor for its first rows
 * (cursor_tuple_fraction), which may be another plan than the bare SELECT's.
 */
export async function explain(db, { sql, params }) {
  const q = `EXPLAIN (ANALYZE, BUFFERS) ${sql}`;
  const cursor = /^\s*DECLARE\b/i.test(sql);
  const once = () => (cursor ? db.transaction((tx) => tx.query(q, params)) : db.query(q, params));
  await once();
  const { rows } = await once();
  const plan = rows.map((r) => r["QUERY PLAN"]);
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan.join("\n"))?.[1] ?? NaN);
  return { sql: sql.replace(/\s+/g, " ").trim(), params, executionMs: ms, plan };
}
