/**
 * Model-level anatomy: FFN blocks, input roles (ids, mask, positions, KV cache), the logits
 * output and parameter counts.
 */
import { GpruneError } from '../errors';
import { defaultOpset, valueInfoType } from '../onnx/graph';
import type { OnnxModel } from '../onnx/model';
import { tensorElements } from '../onnx/tensor';
import { DataType, isFloatType } from '../onnx/dtype';
import { findFfnBlocks } from './ffn';
import { rejectQuantizedWeights } from './quantized';
import type { ModelAnatomy } from './types';

const PAST = /^past_key_values\.|^past\.|\.past_(key|value)$|^past_(key|value)/;

export function analyzeModel(model: OnnxModel): ModelAnatomy {
  const graph = model.proto.graph!;
  rejectQuantizedWeights(model);
  const ffn = findFfnBlocks(model);
  const initializerNames = new Set(graph.initializer.map((t) => t.name));

  const inputs: ModelAnatomy['inputs'] = { past: [], other: [] };
  for (const input of graph.input) {
    if (initializerNames.has(input.name)) continue; // old exports list initializers as inputs
    const name = input.name;
    if (name === 'input_ids') inputs.inputIds = name;
    else if (name === 'attention_mask') inputs.attentionMask = name;
    else if (name === 'position_ids') inputs.positionIds = name;
    else if (name === 'use_cache_branch') inputs.useCacheBranch = name;
    else if (PAST.test(name)) {
      const type = valueInfoType(input);
      inputs.past.push({ name, dims: type?.dims ?? [], elemType: type?.elemType ?? DataType.FLOAT });
    }
    else inputs.other.push(name);
  }
  if (!inputs.inputIds) {
    throw new GpruneError('MODEL_INPUT_UNSUPPORTED', `${model.path} has no input named input_ids (inputs: ${graph.input.map((i) => i.name).join(', ')}). GPrune runs causal LMs exported with Optimum or transformers.js naming.`);
  }
  if (inputs.other.length) {
    throw new GpruneError('MODEL_INPUT_UNSUPPORTED', `${model.path} has inputs GPrune cannot feed: ${inputs.other.join(', ')}. Export the decoder with input_ids, attention_mask, position_ids and past_key_values only.`);
  }

  const logitsInfo = graph.output.find((o) => o.name === 'logits') ?? graph.output[0];
  if (!logitsInfo) {
    throw new GpruneError('GRAPH_PATTERN_MISMATCH', `${model.path} declares no graph output; GPrune needs the logits output of a causal LM. Export the model again.`);
  }
  const vocab = logitsInfo && valueInfoType(logitsInfo)?.dims.at(-1);

  let totalParameters = 0;
  for (const t of graph.initializer) if (isFloatType(t.dataType)) totalParameters += tensorElements(t);
  const ffnParameters = ffn.reduce((sum, b) => sum + paramsOfBlock(b), 0);

  return {
    ffn,
    ffnParameters,
    totalParameters,
    inputs,
    logits: logitsInfo.name,
    vocabSize: typeof vocab === 'number' ? vocab : undefined,
    hasKvCache: inputs.past.length > 0,
    opset: defaultOpset(model.proto),
  };
}

/** Parameters removed with one neuron of the block (rows/columns of every projection, plus the fc1 bias entry). */
export function paramsPerNeuron(block: ModelAnatomy['ffn'][number]): number {
  return block.hidden * (block.up ? 3 : 2) + (block.upBias ? 1 : 0) + (block.gateBias ? 1 : 0);
}

function paramsOfBlock(block: ModelAnatomy['ffn'][number]): number {
  return block.width * paramsPerNeuron(block) + (block.downBias ? block.hidden : 0);
}
