/**
 * `gprune inspect MODEL`: architecture, FFN blocks, parameters, files, engine.
 */
import type { CommandSpec } from '../args';
import { parseCommand } from '../args';
import { openModel } from '../context';
import { formatBytes, formatCount, printJson, table } from '../output';
import type { CliContext } from '../main';

export const inspectSpec: CommandSpec = {
  name: 'inspect',
  summary: 'Show the FFN layers, parameters, inputs and files of an ONNX LLM.',
  positionals: [{ name: 'MODEL', description: 'Model folder (onnx/model.onnx + config and tokenizer) or an .onnx file.' }],
  options: {},
  examples: ['gprune inspect public/models/demo', 'gprune inspect path/to/model/onnx/model.onnx --json'],
};

export async function inspect(argv: string[], ctx: CliContext): Promise<number> {
  const { options, positionals } = parseCommand(inspectSpec, argv);
  const loaded = await openModel(ctx.requireModel(positionals, inspectSpec));
  const { anatomy, model, config } = loaded;
  const files = model.files.list().map((p) => ({ path: p, bytes: model.files.get(p)!.size }));
  const result = {
    model: model.files.label,
    modelFile: model.path,
    architecture: (config?.architectures as string[] | undefined)?.[0] ?? config?.model_type ?? 'unknown',
    opset: anatomy.opset,
    kvCache: anatomy.hasKvCache,
    vocabSize: anatomy.vocabSize,
    parameters: { total: anatomy.totalParameters, ffn: anatomy.ffnParameters },
    layers: anatomy.ffn.map((b) => ({
      layer: b.layer,
      ffn: { kind: b.kind, activation: b.activation, neurons: b.width, hidden: b.hidden, gate: b.gate.initializer, up: b.up?.initializer, down: b.down.initializer, bias: !!b.upBias },
    })),
    files,
    engine: ctx.engine().name,
  };
  if (options.json) {
    printJson(result);
    return 0;
  }
  const out = [
    `${result.model}  (${model.path}, opset ${anatomy.opset}${anatomy.hasKvCache ? ', KV cache' : ''})`,
    `architecture  ${result.architecture}`,
    `parameters    ${formatCount(anatomy.totalParameters)} total, ${formatCount(anatomy.ffnParameters)} in FFN blocks (${((100 * anatomy.ffnParameters) / anatomy.totalParameters).toFixed(1)}%)`,
    `size on disk  ${formatBytes(files.reduce((s, f) => s + f.bytes, 0))} in ${files.length} files`,
    `engine        ${result.engine}`,
    '',
    table(['layer', 'kind', 'activation', 'neurons', 'hidden'], anatomy.ffn.map((b) => [b.layer, b.kind, b.activation.join('→'), b.width, b.hidden])),
  ];
  console.log(out.join('\n'));
  return 0;
}
