#!/usr/bin/python3
"""Export the trained demo model to ONNX with a KV cache, in the onnx-community / Optimum layout.

Inputs: input_ids, attention_mask [batch, total_seq], position_ids, past_key_values.N.key /
.value [batch, kv_heads, past_seq, head_dim]. Outputs: logits, present.N.key / .value.
Also writes config.json and generation_config.json, and reference outputs computed by
PyTorch (<work-dir>/reference.json) for check-onnx.mjs.
"""

import argparse
import json
from pathlib import Path

import onnx
import torch

from model import DemoConfig, LlamaForCausalLM


class OnnxWrapper(LlamaForCausalLM):
    """The model with the per-layer (key, value) list flattened into separate inputs and outputs.

    Subclassing (instead of wrapping) keeps the Hugging Face parameter and scope names,
    such as model.embed_tokens.weight and /model/layers.0/mlp/gate_proj/MatMul.
    """

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, presents = super().forward(input_ids, attention_mask, position_ids, past or None)
        return (logits, *[t for kv in presents for t in kv])


def hf_config(cfg: DemoConfig) -> dict:
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": cfg.hidden_size,
        "intermediate_size": cfg.intermediate_size,
        "num_hidden_layers": cfg.num_hidden_layers,
        "num_attention_heads": cfg.num_attention_heads,
        "num_key_value_heads": cfg.num_key_value_heads,
        "head_dim": cfg.head_dim,
        "vocab_size": cfg.vocab_size,
        "max_position_embeddings": cfg.max_position_embeddings,
        "rms_norm_eps": cfg.rms_norm_eps,
        "rope_theta": cfg.rope_theta,
        "rope_scaling": None,
        "hidden_act": "silu",
        "attention_bias": False,
        "mlp_bias": False,
        "tie_word_embeddings": True,
        "bos_token_id": cfg.bos_token_id,
        "eos_token_id": cfg.eos_token_id,
        "pad_token_id": cfg.eos_token_id,
        "initializer_range": 0.02,
        "torch_dtype": "float32",
        "use_cache": True,
    }


def reference_cases(model: LlamaForCausalLM, cfg: DemoConfig) -> list[dict]:
    """Inputs and PyTorch logits for the ONNX check: a plain batch, left padding, and a cached step."""
    gen = torch.Generator().manual_seed(7)
    ids = torch.randint(1, cfg.vocab_size, (2, 9), generator=gen)
    cases = []
    with torch.no_grad():
        mask = torch.ones(2, 9, dtype=torch.int64)
        pos = torch.arange(9).unsqueeze(0).expand(2, 9)
        logits, _ = model(ids, mask, pos)
        cases.append({"name": "no cache", "input_ids": ids, "attention_mask": mask, "position_ids": pos,
                      "past_len": 0, "logits": logits})

        pad_mask = mask.clone()
        pad_mask[1, :3] = 0  # row 1 is left-padded by three tokens
        pad_pos = (pad_mask.cumsum(-1) - 1).clamp(min=0)
        logits, _ = model(ids, pad_mask, pad_pos)
        cases.append({"name": "left padding", "input_ids": ids, "attention_mask": pad_mask,
                      "position_ids": pad_pos, "past_len": 0, "logits": logits})

        _, past = model(ids[:, :6], mask[:, :6], pos[:, :6])
        logits, _ = model(ids[:, 6:], mask, pos[:, 6:], past)
        cases.append({"name": "cached step", "input_ids": ids[:, 6:], "attention_mask": mask,
                      "position_ids": pos[:, 6:], "past_len": 6, "prefix_ids": ids[:, :6], "logits": logits})
    return [{k: (v.tolist() if isinstance(v, torch.Tensor) else v) for k, v in c.items()} for c in cases]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work-dir", default="/tmp/gprune-demo")
    parser.add_argument("--weights", default=None, help="state dict to export (default: <work-dir>/model.pt)")
    parser.add_argument("--model-dir", default=str(Path(__file__).resolve().parents[2] / "public" / "models" / "demo"))
    parser.add_argument("--opset", type=int, default=17)
    args = parser.parse_args()

    torch.set_num_threads(1)
    work, out = Path(args.work_dir), Path(args.model_dir)
    cfg = DemoConfig()
    state = torch.load(args.weights or work / "model.pt")
    model = LlamaForCausalLM(cfg)
    model.load_state_dict(state)
    model.eval()
    export_model = OnnxWrapper(cfg)
    export_model.load_state_dict(state)
    export_model.eval()

    n = cfg.num_hidden_layers
    past_names = [f"past_key_values.{i}.{kind}" for i in range(n) for kind in ("key", "value")]
    present_names = [f"present.{i}.{kind}" for i in range(n) for kind in ("key", "value")]
    batch, seq, past_len = 2, 3, 4
    dummy = (
        torch.randint(1, cfg.vocab_size, (batch, seq)),
        torch.ones(batch, past_len + seq, dtype=torch.int64),
        torch.arange(past_len, past_len + seq).unsqueeze(0).expand(batch, seq).contiguous(),
        *[torch.randn(batch, cfg.num_key_value_heads, past_len, cfg.head_dim) for _ in past_names],
    )
    dynamic_axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
        **{name: {0: "batch_size", 2: "past_sequence_length"} for name in past_names},
        **{name: {0: "batch_size", 2: "total_sequence_length"} for name in present_names},
    }
    onnx_path = out / "onnx" / "model.onnx"
    onnx_path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            export_model, dummy, str(onnx_path), opset_version=args.opset,
            input_names=["input_ids", "attention_mask", "position_ids", *past_names],
            output_names=["logits", *present_names], dynamic_axes=dynamic_axes, do_constant_folding=True,
        )
    proto = onnx.load(str(onnx_path))
    onnx.checker.check_model(proto)
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes, {len(proto.graph.node)} nodes)")

    (out / "config.json").write_text(json.dumps(hf_config(cfg), indent=2) + "\n")
    generation = {"bos_token_id": cfg.bos_token_id, "eos_token_id": cfg.eos_token_id,
                  "pad_token_id": cfg.eos_token_id, "do_sample": False, "max_length": cfg.max_position_embeddings}
    (out / "generation_config.json").write_text(json.dumps(generation, indent=2) + "\n")

    reference = {"config": hf_config(cfg), "cases": reference_cases(model, cfg)}
    (work / "reference.json").write_text(json.dumps(reference) + "\n")


if __name__ == "__main__":
    main()
