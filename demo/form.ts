/**
 * The setup form: reading it, validating it with the encoder itself (so the page can never accept
 * what encodePacket would refuse), and showing the encoder's complaint next to the field it is
 * about. Error messages come from BlinkUpError, which never contains the password or token.
 */
import { ErrorCode, type ConfigPayload } from '../src/index.js';

export interface SetupValues {
  readonly payload: ConfigPayload;
  /** Levels per second chosen by the user. */
  readonly fps: number;
}

type FieldName = 'ssid' | 'password' | 'planId' | 'token';

/** Which field an encoder error is about; null for errors about the packet as a whole. */
const FIELD_OF: Partial<Record<ErrorCode, FieldName>> = {
  [ErrorCode.SSID_TOO_LONG]: 'ssid',
  [ErrorCode.PASSWORD_TOO_LONG]: 'password',
  [ErrorCode.PASSWORD_NOT_HEX]: 'password',
  [ErrorCode.PASSWORD_WITHOUT_SSID]: 'password',
  [ErrorCode.PLAN_ID_INVALID]: 'planId',
  [ErrorCode.TOKEN_INVALID]: 'token',
};

const FIELDS: readonly FieldName[] = ['ssid', 'password', 'planId', 'token'];

/** Sample enrolment values, clearly not real ones. */
const SAMPLE = { ssid: 'Workshop', planId: '0123456789abcdef', token: 'fedcba9876543210' } as const;

export class SetupForm {
  constructor(private readonly form: HTMLFormElement) {}

  read(): SetupValues {
    const text = (name: FieldName): string => this.input(name).value;
    const fps = Number((this.form.elements.namedItem('fps') as RadioNodeList).value);
    return {
      payload: { ssid: text('ssid'), password: text('password'), planId: text('planId').trim(), token: text('token').trim() },
      fps,
    };
  }

  /** Shows an encoder error inline: under its field, or above the button. */
  showError(code: ErrorCode, message: string): void {
    this.clearErrors();
    const field = FIELD_OF[code];
    const text = sentence(message);
    if (field) {
      const wrapper = this.input(field).closest<HTMLElement>('.field')!;
      wrapper.dataset.invalid = '';
      this.input(field).setAttribute('aria-invalid', 'true');
      const note = this.form.querySelector<HTMLElement>(`#${field}-error`)!;
      note.textContent = text;
      note.hidden = false;
    } else {
      const note = this.form.querySelector<HTMLElement>('#form-error')!;
      note.textContent = text;
      note.hidden = false;
    }
  }

  clearErrors(): void {
    for (const field of FIELDS) {
      delete this.input(field).closest<HTMLElement>('.field')!.dataset.invalid;
      this.input(field).removeAttribute('aria-invalid');
      this.form.querySelector<HTMLElement>(`#${field}-error`)!.hidden = true;
    }
    this.form.querySelector<HTMLElement>('#form-error')!.hidden = true;
  }

  /** Focuses the first field marked invalid. */
  focusError(): void {
    this.form.querySelector<HTMLInputElement>('.field[data-invalid] input')?.focus();
  }

  fillSample(): void {
    this.input('ssid').value ||= SAMPLE.ssid;
    this.input('planId').value = SAMPLE.planId;
    this.input('token').value = SAMPLE.token;
  }

  private input(name: FieldName): HTMLInputElement {
    return this.form.elements.namedItem(name) as HTMLInputElement;
  }
}

/** "plan id must be …" → "Plan id must be …." */
function sentence(message: string): string {
  const s = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?)]$/.test(s) ? s : `${s}.`;
}
