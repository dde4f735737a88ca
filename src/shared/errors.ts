/**
 * Errors the CLI turns into a one-line message and an exit code.
 * UsageError: the user's words are wrong (bad flag, target, port, file) -> exit 2.
 * InputError: a file's content is wrong; names file and line -> exit 2.
 * Anything else is a bug or an environment failure -> exit 1.
 */
export class CamsweepError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsageError extends CamsweepError {
  constructor(message: string) {
    super(message, 2);
  }
}

export class InputError extends CamsweepError {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(file ? `${file}${line !== undefined ? `:${line}` : ""}: ${message}` : message, 2);
  }
}
