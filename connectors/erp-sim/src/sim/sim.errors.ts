import type { SimErrorBody } from '../wire/sim-wire.types.js';

/** A refusal in the simulator's own error format: HTTP status, error code such as `ITM001`, message, offending field. */
export class SimError extends Error {
  /** HTTP status of the answer. */
  readonly status: number;
  /** The simulator's error code. */
  readonly code: string;
  /** Field path of the offending value, e.g. `LINES.1.LITM`. */
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'SimError';
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** The error as the simulator's JSON body. */
  toBody(): SimErrorBody {
    return { ERROR: { CODE: this.code, MSG: this.message, ...(this.field ? { FIELD: this.field } : {}) } };
  }
}
