/** Authorized, read-only credentials per scope: loaded from a file or the environment, never printed. */
export { Credential, CredentialSet } from "./credential.js";
export { ENV_FILE, ENV_PASSWORD, ENV_USERNAME, loadCredentials } from "./load.js";
