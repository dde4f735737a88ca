import type { ReactNode } from "react";

/**
 * A wide table's horizontal scroller. It takes keyboard focus (WCAG 2.1.1: a region that scrolls must be
 * reachable without a mouse) and is named for what it holds.
 */
export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll" role="group" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
