import { useEffect, useState } from 'react';

/**
 * Renders a labelled number input that reports only valid values: within [min, max], and
 * integral when `integer` is set. Invalid text is marked, and the last valid value stays.
 */
export function NumberField(props: { label: string; value: number; onChange: (value: number) => void; min: number; max: number; step?: number; integer?: boolean; title?: string; testId?: string }) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  const parsed = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(parsed) && parsed >= props.min && parsed <= props.max && (!props.integer || Number.isInteger(parsed));
  return (
    <label className="field" title={props.title}>
      <span>{props.label}</span>
      <input
        type="number"
        value={text}
        min={props.min}
        max={props.max}
        step={props.step ?? (props.integer ? 1 : 'any')}
        aria-invalid={!valid}
        data-testid={props.testId}
        onChange={(event) => {
          setText(event.target.value);
          const value = Number(event.target.value);
          if (event.target.value.trim() !== '' && Number.isFinite(value) && value >= props.min && value <= props.max && (!props.integer || Number.isInteger(value))) props.onChange(value);
        }}
      />
    </label>
  );
}
