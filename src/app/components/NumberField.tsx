import { useEffect, useId, useState } from 'react';
import { type FieldGroup, useFieldValidity } from '../state/fieldValidity';

/**
 * Renders a labelled number input that reports only valid values: within [min, max], and
 * integral when `integer` is set. Invalid text is marked, and the last valid value stays.
 * With `group`, invalid text is also registered in `useFieldValidity`, so the buttons that
 * read the group's values are disabled until it is fixed.
 */
export function NumberField(props: { label: string; value: number; onChange: (value: number) => void; min: number; max: number; step?: number; integer?: boolean; title?: string; testId?: string; group?: FieldGroup }) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  const parsed = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(parsed) && parsed >= props.min && parsed <= props.max && (!props.integer || Number.isInteger(parsed));
  const id = useId();
  const setInvalid = useFieldValidity((s) => s.setInvalid);
  const { group, label } = props;
  useEffect(() => {
    setInvalid(id, group && !valid ? { group, label } : null);
    return () => setInvalid(id, null);
  }, [id, group, label, valid, setInvalid]);
  const range = `${props.integer ? 'an integer' : 'a number'} from ${props.min} to ${props.max}`;
  return (
    <label className="field" title={valid ? props.title : `Invalid: expected ${range}.${props.title ? ` ${props.title}` : ''}`}>
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
