import { describe, expect, it } from "vitest";
import { IMPORT_FORMAT_IDS } from "../../server/jobs/import-job.js";
import { IMPORT_FORMATS } from "./lists.js";

/**
 * The import formats are listed by the import code, which the browser cannot load (parsers, node:fs): the wire keeps
 * their ids as a copy, held here to the core's list, in its order.
 */
describe("the wire's constant lists", () => {
  it("import formats are the importer's", () => {
    expect([...IMPORT_FORMATS]).toEqual([...IMPORT_FORMAT_IDS]);
  });
});
