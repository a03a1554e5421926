#!/usr/bin/env python3
"""Checks that a model folder written by `lsg train` loads in the Python reference as Hugging Face would load it,
and that the reference computes what lsg4j computes with it.

usage: /usr/bin/python3 tools/train/reference_load_check.py REF_ENV MODEL_DIR [TOKENS]
  REF_ENV    the folder ../shared/reference/setup.sh prints (transformers 4.45.2 and the LSG modeling code)
  MODEL_DIR  a trained folder; it must hold the reference's modeling_lsg_<family>.py (trust_remote_code)

It (1) loads MODEL_DIR with AutoModelFor<Head>.from_pretrained(trust_remote_code=True) and fails on any missing or
unexpected key; (2) saves it again with save_pretrained and checks that the tensors and shapes are the folder's
(tied weights left out as lsg4j leaves them out); (3) runs two padded sequences of TOKENS tokens (default 200) through
the reference (in float64, as the parity fixtures' twins) and through `lsg forward`, and compares every output with
|java - ref| <= 2e-5 + 2e-5 |ref|.
Prints one JSON line; exit code 0 when everything holds. Never run by the tests: the reference is not part of lsg4j.
"""
import json, os, subprocess, sys, tempfile

env, folder = sys.argv[1], sys.argv[2]
tokens = int(sys.argv[3]) if len(sys.argv) > 3 else 200
sys.path.insert(0, os.path.join(env, "site"))
os.environ.setdefault("HF_MODULES_CACHE", tempfile.mkdtemp(prefix="lsg-hf-modules-"))
import torch
import transformers
from safetensors.torch import load_file, save_file

config = json.load(open(os.path.join(folder, "config.json")))
arch = config["architectures"][0]
suffix = arch[arch.index("For"):] if "For" in arch else ""
auto = getattr(transformers, "AutoModel" + suffix)
if config["model_type"] == "albert":   # the fixtures' shim: the LSG file star-imports names __all__ leaves out
    import transformers.models.albert.modeling_albert as albert
    albert.__all__ = [n for n in dir(albert) if not n.startswith("_")]
model, info = auto.from_pretrained(folder, trust_remote_code=True, output_loading_info=True)
model.eval()
for m in model.modules():   # the fixtures' compatibility shim for transformers 4.45 (see ../shared/reference/README.md)
    if type(m).__name__.startswith("LSG") and type(m).__name__.endswith("Model"):
        type(m).attn_implementation = "eager"
problems = [f"{k}: {v}" for k, v in info.items() if v]

with tempfile.TemporaryDirectory() as tmp:
    model.save_pretrained(tmp)
    saved = {k: tuple(v.shape) for k, v in load_file(os.path.join(tmp, "model.safetensors")).items()}
    ours = {k: tuple(v.shape) for k, v in load_file(os.path.join(folder, "model.safetensors")).items()}
    if saved != ours:
        problems.append(f"save_pretrained keys differ: only in the reference's {sorted(set(saved) - set(ours))},"
                        f" only in lsg4j's {sorted(set(ours) - set(saved))},"
                        f" shapes {[k for k in saved if k in ours and saved[k] != ours[k]]}")

    g = torch.Generator().manual_seed(0)
    vocab = config["vocab_size"]
    ids = torch.randint(5, vocab, (2, tokens), generator=g)
    mask = torch.ones_like(ids)
    mask[1, tokens // 2:] = 0
    ids[1, tokens // 2:] = config.get("pad_token_id", 0)
    inputs = {"input_ids": ids, "attention_mask": mask}
    if suffix == "ForMultipleChoice":
        inputs = {k: v.unsqueeze(0) for k, v in inputs.items()}
    if config.get("type_vocab_size", 0) > 0 and config.get("model_type") != "distilbert":
        inputs["token_type_ids"] = torch.zeros_like(inputs["input_ids"])
    save_file(inputs, os.path.join(tmp, "inputs.safetensors"))
    lsg = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lsg")
    subprocess.run([lsg, "forward", "--model", folder, "--inputs", os.path.join(tmp, "inputs.safetensors"),
                    "--output", os.path.join(tmp, "java.safetensors")], check=True, stderr=subprocess.DEVNULL)
    java = load_file(os.path.join(tmp, "java.safetensors"))
    with torch.no_grad():   # in float64, the reference the project's tolerance is stated against
        out = model.double()(**inputs)
    worst = 0.0
    compared = []
    for name in ("logits", "start_logits", "end_logits"):
        ref = getattr(out, name, None)
        if ref is None:
            continue
        ref = ref.float()
        got = java[name].reshape(ref.shape)
        valid = mask.bool() if ref.dim() == 2 and ref.shape == mask.shape else torch.ones_like(ref, dtype=torch.bool)
        if name == "logits" and ref.dim() == 3:
            valid = mask.bool().unsqueeze(-1).expand_as(ref)
        ratio = ((got - ref).abs() / (2e-5 + 2e-5 * ref.abs()))[valid].max().item()
        worst = max(worst, ratio)
        compared.append(name)
    if worst > 1:
        problems.append(f"outputs differ: worst |java - ref| / tolerance = {worst:.3f}")

print(json.dumps({"folder": folder, "class": arch, "keys": len(ours), "compared": compared,
                  "worst_error_over_tolerance": worst, "problems": problems}))
sys.exit(1 if problems else 0)
