import { useStudio } from '../state/store';
import { NumberField } from './NumberField';

/** Renders the calibration settings: windows per dataset, their length, seed, batch size, held-out share and ε. */
export function CalibrationFields() {
  const calibration = useStudio((s) => s.calibration);
  const set = useStudio((s) => s.setCalibration);
  return (
    <fieldset className="fields">
      <legend>Calibration</legend>
      <NumberField group="calibration" label="Samples per dataset" value={calibration.samples} min={1} max={100000} integer onChange={(samples) => set({ samples })} testId="calib-samples" title="Windows drawn at random offsets of each calibration dataset" />
      <NumberField group="calibration" label="Tokens per window" value={calibration.seqlen} min={2} max={1 << 16} integer onChange={(seqlen) => set({ seqlen })} testId="calib-seqlen" title="Window length in tokens, BOS included" />
      <NumberField group="calibration" label="Seed" value={calibration.seed} min={0} max={2 ** 31 - 1} integer onChange={(seed) => set({ seed })} />
      <NumberField group="calibration" label="Batch size" value={calibration.batchSize} min={1} max={4096} integer onChange={(batchSize) => set({ batchSize })} testId="calib-batch" title="Windows per onnxruntime run" />
      <NumberField group="calibration" label="Held-out share" value={calibration.heldOutFraction} min={0} max={0.9} step={0.05} onChange={(heldOutFraction) => set({ heldOutFraction })} title="Share of each dataset's tokens (its end) kept out of the statistics, for the loss estimate and the search" />
      <NumberField group="calibration" label="Held-out windows" value={calibration.heldOutSamples} min={0} max={100000} integer onChange={(heldOutSamples) => set({ heldOutSamples })} title="Held-out windows per dataset" />
      <NumberField group="calibration" label="ε" value={calibration.epsilon} min={0} max={1e6} onChange={(epsilon) => set({ epsilon })} title="Threshold of the activation-frequency count #{|x| > ε}" />
    </fieldset>
  );
}
