/**
 * Authorized, read-only requests with a credential the user supplied for the host's scope (docs/probes.md
 * "Authorized credentials"): ISAPI deviceInfo (Digest), an NVR's channel list (Digest) and ONVIF
 * GetDeviceInformation (WS-UsernameToken). Lockout-safe: each kind at most once per device per scan, and the first
 * refusal of the credentials stops every further authenticated request to the device. No guessing, nothing that
 * changes a device: only GETs and the two read-only SOAP calls.
 */
import type { Credential, CredentialSet } from "../../credentials/index.js";
import type { Observation } from "../../observations/observation.js";
import type { HttpOptions, HttpTarget } from "../http/probe.js";
import { throwIfAborted, type ObservationPart } from "../observe.js";
import { CHANNELS_PATH, channelParts, parseChannelList } from "./channels.js";
import { DEVICE_INFO_PATH, deviceInfoNamesRecorder, digestGet } from "./isapi.js";
import { ONVIF_DEVICE_PATH, onvifDeviceInformation } from "./onvif.js";
import { type AuthPlan, planAuthenticated } from "./plan.js";

export { type AuthPlan, planAuthenticated };
export { CHANNELS_PATH, parseChannelList } from "./channels.js";
export { DEVICE_INFO_PATH } from "./isapi.js";
export { ONVIF_DEVICE_PATH, passwordDigest } from "./onvif.js";
export { digestAuthorization, parseChallenges, pickDigest } from "./digest.js";

/**
 * Runs the plan against one host, in order: ISAPI deviceInfo, the channel list, ONVIF. Emits each observation as it
 * is made. Channel-list observations about the cameras behind a recorder carry their own `target` (the camera's
 * address) and `request.via` (the recorder's): the caller must keep that target rather than stamp the host's.
 */
export async function probeAuthenticated(
  target: HttpTarget,
  plan: AuthPlan,
  cred: Credential,
  io: HttpOptions,
  emit: (p: ObservationPart) => void,
): Promise<void> {
  const hop = (path: string) => ({ scheme: plan.scheme, port: plan.port, path });
  let recorder = plan.channels;
  throwIfAborted(io.signal);

  if (plan.isapi) {
    const r = await digestGet(target, hop(DEVICE_INFO_PATH), cred, io);
    emit(r.part);
    if (r.rejected) return;
    if (r.response?.status === 200 && deviceInfoNamesRecorder(r.response.body)) recorder = true;
    throwIfAborted(io.signal);
  }

  if (recorder) {
    const r = await digestGet(target, hop(CHANNELS_PATH), cred, io);
    emit(r.part);
    if (r.rejected) return;
    if (r.response?.status === 200)
      for (const p of channelParts(
        parseChannelList(r.response.body).filter((c) => c.address !== target.address),
        target.address,
        plan.scheme,
        r.response,
      ))
        emit(p);
    throwIfAborted(io.signal);
  }

  if (plan.onvif) {
    const r = await onvifDeviceInformation(target, hop(plan.onvifPath ?? ONVIF_DEVICE_PATH), cred, io);
    emit(r.part);
  }
}

/**
 * The whole step for one host: the credential whose scope covers it, the plan from its unauthenticated
 * observations, the run. No credential or nothing to do: no request at all, and false.
 */
export async function probeWithCredentials(
  target: HttpTarget,
  observations: readonly Observation[],
  credentials: CredentialSet,
  io: HttpOptions,
  emit: (p: ObservationPart) => void,
): Promise<boolean> {
  const cred = credentials.for(target.address);
  if (!cred) return false;
  const plan = planAuthenticated(observations);
  if (!plan) return false;
  await probeAuthenticated(target, plan, cred, io, emit);
  return true;
}
