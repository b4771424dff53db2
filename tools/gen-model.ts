/**
 * Writes a generated LLaMA-shaped model folder (random weights, onnx-community layout,
 * external data) for tests and benchmarks.
 *
 *   npx tsx tools/gen-model.ts --shape smollm2-135m --out /tmp/m [--kv] [--dtype float16] [--seed N]
 */
import { parseArgs } from 'node:util';
import { GpruneError, isGpruneError } from '../src/core/errors';
import { LLAMA_PRESETS, countParameters, presetShape, resolveLlamaModelOptions, writeLlamaModel } from '../src/core/synth';
import { nodeFolderSink } from '../src/runtime/nodeFiles';

const HELP = `Usage: npx tsx tools/gen-model.ts --shape SHAPE --out DIR [options]

Options:
  --shape SHAPE      model shape: ${Object.keys(LLAMA_PRESETS).join(', ')}
  --out DIR          output folder (must not exist or be empty unless --overwrite)
  --kv               add past_key_values.N.* inputs and present.N.* outputs
  --dtype TYPE       float32 (default) or float16 weights and activations
  --seed N           seed of the random weights (default 0)
  --init-std X       standard deviation of matrices and embeddings (default 0.02)
  --chunk-mb N       maximum MiB per external data file (default 2047)
  --overwrite        replace a non-empty --out folder
  --help             show this help`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      shape: { type: 'string' },
      out: { type: 'string' },
      kv: { type: 'boolean', default: false },
      dtype: { type: 'string', default: 'float32' },
      seed: { type: 'string', default: '0' },
      'init-std': { type: 'string', default: '0.02' },
      'chunk-mb': { type: 'string' },
      overwrite: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.shape || !values.out) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }

  const shape = presetShape(values.shape);
  // Validate every option before the output folder is touched.
  const options = resolveLlamaModelOptions({ kvCache: values.kv, dataType: values.dtype as 'float32' | 'float16', seed: Number(values.seed), initStd: Number(values['init-std']) });
  const chunkBytes = values['chunk-mb'] === undefined ? undefined : Math.floor(Number(values['chunk-mb']) * 2 ** 20);
  if (chunkBytes !== undefined && !(chunkBytes >= 1)) throw new GpruneError('INVALID_ARGUMENT', `--chunk-mb ${values['chunk-mb']} is invalid: give a positive number of MiB.`);

  const started = performance.now();
  const sink = await nodeFolderSink(values.out, { overwrite: values.overwrite });
  const result = await writeLlamaModel(shape, options, sink, { chunkBytes });
  const seconds = (performance.now() - started) / 1000;

  const total = result.files.reduce((s, f) => s + f.bytes, 0);
  console.log(`Wrote ${sink.target}: ${shape.name}, ${countParameters(shape).toLocaleString('en-US')} parameters, ${options.dataType}${options.kvCache ? ', KV cache' : ''}`);
  for (const file of result.files) console.log(`  ${file.path.padEnd(28)} ${file.bytes.toLocaleString('en-US').padStart(16)} bytes`);
  console.log(`${(total / 2 ** 20).toFixed(1)} MiB in ${seconds.toFixed(1)} s (${(total / 2 ** 20 / seconds).toFixed(0)} MiB/s)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(isGpruneError(error) ? `gen-model: ${error.message}` : error);
    process.exit(1);
  },
);
