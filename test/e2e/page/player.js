// A bare page for driving flash() from tests: exposes the browser bundle as window.blinkup.
import * as blinkup from './blinkup.js';

window.blinkup = blinkup;
document.body.dataset.ready = 'true';
