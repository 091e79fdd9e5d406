/**
 * A refused gateway request: HTTP status, a stable code, and a message naming the field and the
 * value. The JSON body is `{error: {code, message, field}}`; nothing was changed.
 */
export class GatewayError extends Error {
  override name = 'GatewayError';
  /** The worker the refusal counts against, when known (its key). */
  workerKey: string | null = null;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
  body(): { error: { code: string; message: string; field: string | null } } {
    return { error: { code: this.code, message: this.message, field: this.field } };
  }
}
