/** A control-API input problem: `status` is the HTTP status the control API answers with. */
export class EmulatorInputError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'EmulatorInputError';
    this.status = status;
  }
}

export interface ApiError {
  code: number;
  msg: string;
  /** HTTP status; Lark answers IM business errors with 400. */
  status: number;
}

export const apiError = (code: number, msg: string, status = 400): ApiError => ({ code, msg, status });
