/** A request refused with a status and a reason the client can show. Nothing was written when one is thrown. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
