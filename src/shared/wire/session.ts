import { z } from "zod";
import { ROLES } from "./lists.js";

/** Who is signed in: sign-in, /me and the organizations the credentials may see. */

export const SignIn = z
  .object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict();

export const SessionStarted = z.object({
  name: z.string(),
  role: z.enum(ROLES),
  organizationId: z.string().nullable(),
  csrf: z.string(),
  expiresAt: z.string(),
});
export type SessionStarted = z.output<typeof SessionStarted>;

export const SignedOut = z.object({ signedOut: z.literal(true) });

export const Me = z.object({
  name: z.string(),
  role: z.enum(ROLES),
  organizationId: z.string().nullable(),
  scope: z.enum(["read", "write"]),
});
export type Me = z.output<typeof Me>;

export const Organizations = z.object({
  organizations: z.array(
    z.object({ id: z.string(), name: z.string(), type: z.string(), jurisdiction: z.string() }),
  ),
});
export type Organizations = z.output<typeof Organizations>;
