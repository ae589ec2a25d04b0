import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { RANGE_PRESETS, rangeLabel, resolveRange, type TimeRange } from '../app/time-range.js';

/** The guide's windows as buttons, and a custom range (UTC, as the API reads it). */
export function RangePicker({ range, onChange }: { range: TimeRange; onChange: (range: TimeRange) => void }) {
  const [custom, setCustom] = useState(false);
  const shown = resolveRange(range, Date.now());
  const [from, setFrom] = useState(toInputValue(shown.fromMs));
  const [to, setTo] = useState(toInputValue(shown.toMs));
  const [problem, setProblem] = useState<string | null>(null);
  const apply = (event: Event) => {
    event.preventDefault();
    const fromMs = Date.parse(`${from}Z`);
    const toMs = Date.parse(`${to}Z`);
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) return setProblem('Give both ends of the range.');
    if (fromMs >= toMs) return setProblem('The start must be before the end.');
    setProblem(null);
    setCustom(false);
    onChange({ kind: 'custom', fromMs, toMs });
  };
  return html`<div class="range-picker">
    <div class="range-buttons" role="group" aria-label="Time range">
      ${RANGE_PRESETS.map(
        (preset) =>
          html`<button
            type="button"
            class=${range.kind === 'preset' && range.preset === preset.id ? 'selected' : ''}
            aria-pressed=${range.kind === 'preset' && range.preset === preset.id}
            onClick=${() => onChange({ kind: 'preset', preset: preset.id })}
          >
            ${preset.label}
          </button>`,
      )}
      <button type="button" class=${range.kind === 'custom' ? 'selected' : ''} aria-expanded=${custom} onClick=${() => setCustom(!custom)}>
        Custom
      </button>
    </div>
    <span class="range-label">${rangeLabel(range)}</span>
    ${
      custom
        ? html`<form class="custom-range" onSubmit=${apply}>
          <label>From (UTC) <input type="datetime-local" value=${from} onInput=${(e: Event) => setFrom((e.target as HTMLInputElement).value)} /></label>
          <label>To (UTC) <input type="datetime-local" value=${to} onInput=${(e: Event) => setTo((e.target as HTMLInputElement).value)} /></label>
          <button type="submit">Apply</button>
          ${problem ? html`<span class="field-problem">${problem}</span>` : null}
        </form>`
        : null
    }
  </div>`;
}

function toInputValue(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}
