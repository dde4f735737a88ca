import { inspect } from "node:util";
import { parseAddress } from "../targets/address.js";
import { specContains, type TargetSpec } from "../targets/spec.js";

const REDACTED = "[redacted]";

/**
 * One authorized account for the devices of a scope. The password lives in a private field: JSON.stringify,
 * util.inspect, console.log and template strings never show it, so a stray log line or a saved object cannot leak it.
 */
export class Credential {
  readonly #password: string;

  constructor(
    readonly username: string,
    password: string,
    /** where it came from, for messages: "creds.yaml credentials.0" or "environment" */
    readonly source: string,
    /** the scope entries as written; empty means the whole scan scope */
    readonly scopeText: readonly string[] = [],
    /** parsed scope; undefined means every address */
    private readonly scope?: readonly TargetSpec[],
  ) {
    this.#password = password;
  }

  /** The secret, for the request builders only. */
  get password(): string {
    return this.#password;
  }

  covers(address: string): boolean {
    const a = parseAddress(address);
    if (!a) return false;
    return this.scope === undefined || this.scope.some((s) => specContains(s, a));
  }

  toJSON(): Record<string, unknown> {
    return { username: this.username, password: REDACTED, source: this.source, scope: this.scopeText };
  }

  toString(): string {
    return `Credential(${this.username} from ${this.source})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** The credentials of a scan: first entry whose scope covers an address wins. */
export class CredentialSet {
  constructor(readonly entries: readonly Credential[] = []) {}

  get size(): number {
    return this.entries.length;
  }

  for(address: string): Credential | undefined {
    return this.entries.find((c) => c.covers(address));
  }

  toJSON(): unknown {
    return this.entries.map((c) => c.toJSON());
  }

  [inspect.custom](): string {
    return `CredentialSet(${this.entries.map((c) => c.toString()).join(", ")})`;
  }
}
