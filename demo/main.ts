/**
 * The demo page: a setup form → countdown and flash → a result card. Everything runs in the page;
 * the credentials never leave it except as light.
 */
import { encodePacket, isBlinkUpError, STALL_S, toLevels, type FlashResult } from '../src/index.js';
import { SetupForm } from './form.js';
import { runStage, type StageOutcome } from './stage.js';

/** The player's black warm-up before the first level (30 refreshes ≈ 0.5 s), for time estimates. */
const WARMUP_SECONDS = 0.5;

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const formElement = byId<HTMLFormElement>('setup-form');
const form = new SetupForm(formElement);
const estimate = byId('estimate');
let attempted = false;
let running = false;

/** Encodes the form; on failure shows why and returns null. */
function encodeForm(showErrors: boolean): { levels: Uint8Array; fps: number } | null {
  const { payload, fps } = form.read();
  try {
    const levels = toLevels(encodePacket(payload));
    form.clearErrors();
    return { levels, fps };
  } catch (err) {
    if (!isBlinkUpError(err)) throw err;
    if (showErrors) form.showError(err.code, err.message);
    return null;
  }
}

function updateEstimate(): void {
  const encoded = encodeForm(attempted);
  if (!encoded) {
    estimate.textContent = '';
    return;
  }
  const seconds = Math.ceil(encoded.levels.length / encoded.fps + WARMUP_SECONDS);
  estimate.textContent = `${encoded.levels.length} flashes · about ${seconds} seconds`;
}

formElement.addEventListener('input', updateEstimate);

formElement.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (running) return;
  attempted = true;
  const encoded = encodeForm(true);
  if (!encoded) {
    form.focusError();
    return;
  }
  running = true;
  byId('result').hidden = true; // the last result no longer applies
  try {
    showResult(await runStage(encoded.levels, encoded.fps));
  } finally {
    running = false;
  }
});

const reveal = byId<HTMLButtonElement>('reveal-password');
reveal.addEventListener('click', () => {
  const input = byId<HTMLInputElement>('password');
  const show = input.type === 'password';
  input.type = show ? 'text' : 'password';
  reveal.textContent = show ? 'Hide' : 'Show';
  reveal.setAttribute('aria-pressed', String(show));
});

byId('fill-sample').addEventListener('click', () => {
  form.fillSample();
  updateEstimate();
});

function showResult(outcome: StageOutcome): void {
  const card = byId('result');
  const stats = byId('result-stats');
  card.dataset.state = outcome.kind;
  stats.hidden = outcome.kind !== 'done';
  const [title, text] = describe(outcome);
  byId('result-title').textContent = title;
  byId('result-text').textContent = text;
  if (outcome.kind === 'done') fillStats(outcome.result);
  card.hidden = false;
  card.scrollIntoView({ block: 'start', behavior: 'smooth' });
}

function describe(outcome: StageOutcome): [title: string, text: string] {
  switch (outcome.kind) {
    case 'done':
      // A receiver takes a longer stall for the end of the flash (this library's decoder waits STALL_S).
      if (outcome.result.longestStallMs > 1000 * STALL_S) {
        return [
          'Flash interrupted',
          `The browser stopped for ${(outcome.result.longestStallMs / 1000).toFixed(1)} s during the flash, longer than the device waits. Close other apps and start again.`,
        ];
      }
      return outcome.result.lateRefreshes === 0
        ? ['Flash complete', 'If the device’s light turns green, it is online. If it blinks amber or red, check the password and try again.']
        : [
            'Flash complete, with hiccups',
            'The browser was late for some screen refreshes. The signal tolerates that, but if the device did not connect, close other apps and try again.',
          ];
    case 'cancelled':
      return ['Flash cancelled', 'The device ignores an unfinished flash. Start again when you are ready.'];
    case 'interrupted':
      return ['Flash interrupted', 'The screen locked or another app opened during the flash. Start again and keep this page in front.'];
    case 'failed':
      return ['The flash could not run', outcome.message];
  }
}

function fillStats(result: FlashResult): void {
  const set = (stat: string, text: string, value: number): void => {
    const dd = document.querySelector<HTMLElement>(`[data-stat="${stat}"]`)!;
    dd.textContent = text;
    dd.dataset.value = String(value);
  };
  set('duration', `${(result.durationMs / 1000).toFixed(1)} s`, result.durationMs);
  set('rate', `${result.achievedFps.toFixed(1)} / s`, result.achievedFps);
  set('display', `${Math.round(result.refreshHz)} Hz`, result.refreshHz);
  set('late', result.lateRefreshes === 0 ? 'None' : `${result.lateRefreshes} (${result.missedRefreshes} lost)`, result.lateRefreshes);
}

updateEstimate();
