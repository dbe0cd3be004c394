/**
 * An error that is meant to reach the client: status, a stable code for
 * machines and a message for people. Messages never carry secrets or
 * callers' data. Everything else becomes a generic 500 in the error funnel.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly expose = true;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}
