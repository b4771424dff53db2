/**
 * A float64 LLaMA forward pass written from transformers' LlamaForCausalLM equations (not
 * from the ONNX graph), used to check the generated graphs. Weights are read from the
 * model's initializers, [in, out] like the MatMuls that use them.
 */
import type { ModelProto } from 'onnx-buf';
import { bytesToFloat32 } from '../../src/core/onnx/dtype';
import type { LlamaShape } from '../../src/core/synth';

export function initializerValues(proto: ModelProto): Map<string, Float32Array> {
  return new Map(proto.graph!.initializer.map((t) => [t.name, bytesToFloat32(t.rawData, t.dataType)]));
}

/** y = x · W for W stored [inFeatures, outFeatures], plus an optional bias. */
function matVec(x: Float64Array, weight: Float32Array, outFeatures: number, bias?: Float32Array): Float64Array {
  const y = new Float64Array(outFeatures);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const row = i * outFeatures;
    for (let j = 0; j < outFeatures; j++) y[j] += xi * weight[row + j];
  }
  if (bias) for (let j = 0; j < outFeatures; j++) y[j] += bias[j];
  return y;
}

function rmsNorm(x: Float64Array, weight: Float32Array, eps: number): Float64Array {
  let sum = 0;
  for (const v of x) sum += v * v;
  const inverse = 1 / Math.sqrt(sum / x.length + eps);
  return x.map((v, i) => v * inverse * weight[i]);
}

/** Rotate-half RoPE of every head of `x` ([heads · headDim]) at position `position`. */
function rope(x: Float64Array, heads: number, headDim: number, position: number, theta: number): Float64Array {
  const out = new Float64Array(x.length);
  const half = headDim / 2;
  for (let h = 0; h < heads; h++) {
    const base = h * headDim;
    for (let i = 0; i < half; i++) {
      const angle = position / theta ** ((2 * i) / headDim);
      const [c, s] = [Math.cos(angle), Math.sin(angle)];
      const a = x[base + i];
      const b = x[base + half + i];
      out[base + i] = a * c - b * s;
      out[base + half + i] = b * c + a * s;
    }
  }
  return out;
}

/**
 * Logits [sequence][vocab] of one sequence. Query t attends to keys s ≤ t with mask[s] = 1;
 * rows with no such key are left as zeros (callers compare real positions only).
 */
export function referenceLogits(shape: LlamaShape, weights: Map<string, Float32Array>, ids: number[], mask: number[], positions: number[]): Float64Array[] {
  const { hidden, heads, kvHeads, headDim, intermediate, vocab } = shape;
  const w = (name: string) => {
    const value = weights.get(name);
    if (!value) throw new Error(`reference: weight ${name} missing`);
    return value;
  };
  const embedding = w('model.embed_tokens.weight');
  let states = ids.map((id) => Float64Array.from(embedding.subarray(id * hidden, (id + 1) * hidden)));
  const group = heads / kvHeads;

  for (let layer = 0; layer < shape.layers; layer++) {
    const p = `model.layers.${layer}`;
    const bias = (name: string) => (shape.attentionBias ? w(`${p}.self_attn.${name}.bias`) : undefined);
    const normed = states.map((h) => rmsNorm(h, w(`${p}.input_layernorm.weight`), shape.rmsEps));
    const q = normed.map((x, t) => rope(matVec(x, w(`${p}.self_attn.q_proj.weight`), heads * headDim, bias('q_proj')), heads, headDim, positions[t], shape.ropeTheta));
    const k = normed.map((x, t) => rope(matVec(x, w(`${p}.self_attn.k_proj.weight`), kvHeads * headDim, bias('k_proj')), kvHeads, headDim, positions[t], shape.ropeTheta));
    const v = normed.map((x) => matVec(x, w(`${p}.self_attn.v_proj.weight`), kvHeads * headDim, bias('v_proj')));

    states = states.map((h, t) => {
      const context = new Float64Array(heads * headDim);
      for (let head = 0; head < heads; head++) {
        const kvHead = Math.floor(head / group);
        const keys = [...Array(t + 1).keys()].filter((s) => mask[s] === 1);
        if (keys.length === 0) continue;
        const scores = keys.map((s) => {
          let dot = 0;
          for (let d = 0; d < headDim; d++) dot += q[t][head * headDim + d] * k[s][kvHead * headDim + d];
          return dot / Math.sqrt(headDim);
        });
        const max = Math.max(...scores);
        const exps = scores.map((x) => Math.exp(x - max));
        const total = exps.reduce((a, b) => a + b, 0);
        keys.forEach((s, i) => {
          for (let d = 0; d < headDim; d++) context[head * headDim + d] += (exps[i] / total) * v[s][kvHead * headDim + d];
        });
      }
      const attended = matVec(context, w(`${p}.self_attn.o_proj.weight`), hidden);
      return h.map((x, i) => x + attended[i]);
    });

    states = states.map((h) => {
      const x = rmsNorm(h, w(`${p}.post_attention_layernorm.weight`), shape.rmsEps);
      const gate = matVec(x, w(`${p}.mlp.gate_proj.weight`), intermediate);
      const up = matVec(x, w(`${p}.mlp.up_proj.weight`), intermediate);
      const activation = gate.map((g, j) => (g / (1 + Math.exp(-g))) * up[j]);
      const down = matVec(activation, w(`${p}.mlp.down_proj.weight`), hidden);
      return h.map((value, i) => value + down[i]);
    });
  }

  return states.map((h) => {
    const x = rmsNorm(h, w('model.norm.weight'), shape.rmsEps);
    if (!shape.tiedEmbeddings) return matVec(x, w('lm_head.weight'), vocab);
    const logits = new Float64Array(vocab);
    for (let token = 0; token < vocab; token++) {
      let dot = 0;
      for (let i = 0; i < hidden; i++) dot += x[i] * embedding[token * hidden + i];
      logits[token] = dot;
    }
    return logits;
  });
}
