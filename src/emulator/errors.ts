/** A control-API input problem: `status` is the HTTP status the control API answers with. */
export class EmulatorInputError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'EmulatorInputError';
    this.status = status;
  }
}
