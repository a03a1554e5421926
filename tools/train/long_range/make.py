#!/usr/bin/env python3
"""Makes the long-range demonstration of `lsg train`: a tiny LSG-RoBERTa with random weights and a
byte-level tokenizer, and a synthetic classification task whose label depends on two pieces of text
more than 2,000 tokens apart.

usage: python3 tools/train/long_range/make.py OUT_DIR [--train N] [--eval N] [--test N] [--seed S]

Every document is 3,070 characters (one token each: the tokenizer has one token per byte) of random
lowercase words. Two pieces are planted in it: a run of 192 copies of one letter, X or Y, starting in
characters 512 to 639, and a second run, X or Y, starting in characters 2,840 to 2,877, at least 2,008
tokens after the first ends. The label is how many of the two runs are X: "none", "one" or "both", a
third of the documents each. A model that reads the first 512 tokens sees neither run and is at chance
(33%); one that reads the first 2,048 sees the first run only and can reach 67% at best; reading both
runs gives 100%.

Writes OUT_DIR/model (config.json, model.safetensors, vocab.json, merges.txt, tokenizer_config.json: the
encoder only, the classification head is added by `lsg train`), OUT_DIR/train.jsonl, eval.jsonl, test.jsonl.
Needs numpy only. Everything is drawn from --seed, so the files are the same on every machine.
"""
import argparse, json, os, struct
import numpy as np

LENGTH, RUN = 3070, 192
FIRST, SECOND = (512, 640), (2840, LENGTH - RUN + 1)
LABELS = ("none", "one", "both")
CONFIG = {
    "architectures": ["LSGRobertaForMaskedLM"], "model_type": "roberta", "vocab_size": 261,
    "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 256,
    "hidden_act": "gelu", "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
    "max_position_embeddings": 3074, "type_vocab_size": 1, "initializer_range": 0.02, "layer_norm_eps": 1e-5,
    "pad_token_id": 1, "bos_token_id": 0, "eos_token_id": 2, "position_embedding_type": "absolute",
    "classifier_dropout": None, "base_model_prefix": "lsg", "adaptive": True, "block_size": 64,
    "sparse_block_size": 64, "sparsity_factor": 4, "sparsity_type": "norm", "num_global_tokens": 4,
    "pool_with_global": True, "mask_first_token": False, "lsh_num_pre_rounds": 1, "torch_dtype": "float32",
    "auto_map": {k: "modeling_lsg_roberta." + v for k, v in {
        "AutoConfig": "LSGRobertaConfig", "AutoModel": "LSGRobertaModel",
        "AutoModelForMaskedLM": "LSGRobertaForMaskedLM",
        "AutoModelForSequenceClassification": "LSGRobertaForSequenceClassification",
        "AutoModelForTokenClassification": "LSGRobertaForTokenClassification",
        "AutoModelForQuestionAnswering": "LSGRobertaForQuestionAnswering",
        "AutoModelForMultipleChoice": "LSGRobertaForMultipleChoice"}.items()},
}


def weights(rng):
    """The encoder's tensors as transformers initializes them: normal(0, 0.02) matrices, LayerNorm 1 and 0, biases 0."""
    c, h, i = CONFIG, CONFIG["hidden_size"], CONFIG["intermediate_size"]
    w = {}
    normal = lambda *shape: rng.normal(0, c["initializer_range"], shape).astype(np.float32)
    w["roberta.embeddings.word_embeddings.weight"] = normal(c["vocab_size"], h)
    w["roberta.embeddings.word_embeddings.weight"][c["pad_token_id"]] = 0
    w["roberta.embeddings.position_embeddings.weight"] = normal(c["max_position_embeddings"], h)
    w["roberta.embeddings.position_embeddings.weight"][c["pad_token_id"]] = 0
    w["roberta.embeddings.token_type_embeddings.weight"] = normal(1, h)
    w["roberta.embeddings.global_embeddings.weight"] = normal(512, h)
    w["roberta.embeddings.LayerNorm.weight"] = np.ones(h, np.float32)
    w["roberta.embeddings.LayerNorm.bias"] = np.zeros(h, np.float32)
    for layer in range(c["num_hidden_layers"]):
        p = f"roberta.encoder.layer.{layer}."
        for name, rows, cols in [("attention.self.query", h, h), ("attention.self.key", h, h),
                                 ("attention.self.value", h, h), ("attention.output.dense", h, h),
                                 ("intermediate.dense", i, h), ("output.dense", h, i)]:
            w[p + name + ".weight"] = normal(rows, cols)
            w[p + name + ".bias"] = np.zeros(rows, np.float32)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[p + norm + ".weight"] = np.ones(h, np.float32)
            w[p + norm + ".bias"] = np.zeros(h, np.float32)
    return w


def write_safetensors(path, tensors):
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for k, v in tensors.items():
        header[k] = {"dtype": "F32", "shape": list(v.shape), "data_offsets": [offset, offset + v.nbytes]}
        offset += v.nbytes
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw)
        for v in tensors.values():
            f.write(np.ascontiguousarray(v, "<f4").tobytes())


def byte_vocab():
    """GPT-2's byte-to-symbol table as the vocabulary: <s> <pad> </s> <unk>, the 256 bytes, <mask>; no merges."""
    vocab, shifted = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}, 0
    for b in range(256):
        printable = ord("!") <= b <= ord("~") or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF
        vocab[chr(b) if printable else chr(256 + shifted)] = len(vocab)
        shifted += 0 if printable else 1
    vocab["<mask>"] = len(vocab)
    return vocab


def document(rng):
    """A document, its label, and where the two runs start."""
    words = []
    while sum(len(w) + 1 for w in words) <= LENGTH:
        words.append("".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), rng.integers(2, 8))))
    text = list(" ".join(words)[:LENGTH])
    count = int(rng.integers(0, 3))   # how many runs are X
    first_x = count == 2 or (count == 1 and rng.integers(0, 2) == 1)
    letters = ("X" if first_x else "Y", "X" if count - first_x == 1 else "Y")
    starts = int(rng.integers(*FIRST)), int(rng.integers(*SECOND))
    for letter, s in zip(letters, starts):
        text[s:s + RUN] = [letter] * RUN
    return "".join(text), LABELS[count], starts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--train", type=int, default=1600)
    ap.add_argument("--eval", type=int, default=200)
    ap.add_argument("--test", type=int, default=400)
    ap.add_argument("--seed", type=int, default=2210)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    model = os.path.join(args.out, "model")
    os.makedirs(model, exist_ok=True)
    with open(os.path.join(model, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    write_safetensors(os.path.join(model, "model.safetensors"), weights(rng))
    with open(os.path.join(model, "vocab.json"), "w") as f:
        json.dump(byte_vocab(), f, ensure_ascii=False)
    with open(os.path.join(model, "merges.txt"), "w") as f:
        f.write("#version: 0.2\n")
    with open(os.path.join(model, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "RobertaTokenizer", "model_max_length": 3072}, f)
    for name, n in (("train", args.train), ("eval", args.eval), ("test", args.test)):
        with open(os.path.join(args.out, name + ".jsonl"), "w") as f:
            for _ in range(n):
                text, label, _ = document(rng)
                f.write(json.dumps({"text": text, "label": label}) + "\n")


if __name__ == "__main__":
    main()
