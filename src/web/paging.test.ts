import { describe, expect, it } from "vitest";
import { currentCursor, firstPage, hasPrevious, pageNumber, popPrevious, pushNext } from "./paging";

describe("cursor stack", () => {
  it("starts on page 1 with no cursor and nothing before it", () => {
    const s = firstPage();
    expect(currentCursor(s)).toBeNull();
    expect(pageNumber(s)).toBe(1);
    expect(hasPrevious(s)).toBe(false);
  });

  it("goes forward by each page's next cursor and back through the same cursors", () => {
    let s = firstPage();
    s = pushNext(s, "c100");
    s = pushNext(s, "c200");
    expect(currentCursor(s)).toBe("c200");
    expect(pageNumber(s)).toBe(3);
    s = popPrevious(s);
    expect(currentCursor(s)).toBe("c100");
    s = popPrevious(s);
    expect(currentCursor(s)).toBeNull();
    expect(hasPrevious(s)).toBe(false);
  });

  it("stays put at either end: no next cursor, or already on the first page", () => {
    const s = pushNext(firstPage(), "c1");
    expect(pushNext(s, null)).toBe(s);
    const first = firstPage();
    expect(popPrevious(first)).toBe(first);
  });

  it("never changes a stack in place (it lives in React state)", () => {
    const s = firstPage();
    const t = pushNext(s, "x");
    expect(s.cursors).toEqual([null]);
    expect(t.cursors).toEqual([null, "x"]);
  });
});
