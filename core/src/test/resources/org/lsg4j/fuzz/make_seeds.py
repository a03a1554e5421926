"""Writes the seed corpora of the core fuzz targets (small files; run from the repository root):

    PYTHONPATH=~/.cache/lsg-reference/site /usr/bin/python3 core/src/test/resources/org/lsg4j/fuzz/make_seeds.py

torch writes the pytorch_model.bin seeds and exports the tiny BERT ONNX seed; the rest is written
byte by byte. Jazzer adds what it finds to these folders' siblings (.cifuzz-corpus), not here.
"""
import io, json, os, struct, shutil, zipfile

ROOT = "core/src/test/resources/org/lsg4j"
SHARED = "../shared/fixtures"


def out(target, method, name, data, package="fuzz"):
    d = os.path.join(ROOT, package, target + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def safetensors(tensors, metadata=None):
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


f32 = lambda *v: struct.pack("<%df" % len(v), *v)
i64 = lambda *v: struct.pack("<%dq" % len(v), *v)
out("SafeTensorsFuzzTest", "safetensors", "weights", safetensors({
    "w": ("F32", [2, 2], f32(1, -2, 3.5, 0)), "h": ("F16", [3], struct.pack("<3e", 1, -0.5, 2)),
    "b": ("BF16", [1], b"\x80\x3f"), "s": ("F64", [], struct.pack("<d", 0.25)), "e": ("F32", [0, 4], b"")},
    {"format": "pt"}))
out("SafeTensorsFuzzTest", "safetensors", "inputs", safetensors({
    "input_ids": ("I64", [1, 4], i64(0, 5, 6, 2)), "attention_mask": ("I64", [1, 4], i64(1, 1, 1, 0)),
    "token_type_ids": ("I32", [1, 4], struct.pack("<4i", 0, 0, 1, 1)), "labels": ("U8", [1], b"\x01"),
    "lsh_proj.0": ("F32", [1, 2], f32(0.5, -0.5))}))
out("SafeTensorsFuzzTest", "safetensors", "empty", safetensors({}))

import torch

base = torch.arange(64, dtype=torch.float32) / 4 - 4
views = {"plain": base[:16].view(4, 4), "transposed": base[16:32].view(4, 4).t(), "offset": base[40:44],
         "strided": base[::8], "scalar": base[3], "param": torch.nn.Parameter(base[:6].view(2, 3).clone())}
buf = io.BytesIO()
torch.save({k: v for k, v in views.items()}, buf, _use_new_zipfile_serialization=True)
archive = buf.getvalue()
out("TorchZipFuzzTest", "zip", "views.bin", archive)
with zipfile.ZipFile(io.BytesIO(archive)) as z:
    pkl = [n for n in z.namelist() if n.endswith("data.pkl")][0]
    out("TorchPickleFuzzTest", "pickle", "views.pkl", z.read(pkl))
sd = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.LayerNorm(2)).state_dict()
buf = io.BytesIO()
torch.save(sd, buf)
out("TorchZipFuzzTest", "zip", "linear.bin", buf.getvalue())
with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
    out("TorchPickleFuzzTest", "pickle", "linear.pkl", z.read([n for n in z.namelist() if n.endswith("data.pkl")][0]))

for case in ["lsg-roberta/norm-f2-base-long-hidden", "lsg-roberta/sparsity-null-base", "lsg-families/bert-lsh-seqcls",
             "lsg-families/distilbert-lsh-qa", "lsg-families/albert-pooling-mlm-adaptive",
             "lsg-families/electra-stride-qa", "lsg-families/xlm_roberta-norm-mlm",
             "lsg-families/convert-bert-mlm-512/input"]:
    with open(os.path.join(SHARED, case, "config.json"), "rb") as f:
        out("ConfigFuzzTest", "config", case.replace("/", "_"), f.read())
with open(os.path.join(SHARED, "lsg-roberta/norm-f2-base-long-hidden/config.json"), "rb") as f:
    out("ConfigFuzzTest", "config", "override", f.read() + b"\x0032")

printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
shifted = [b for b in range(256) if b not in printable]
byte_symbols = [chr(b) if b in printable else chr(256 + shifted.index(b)) for b in range(256)]  # GPT-2's byte alphabet
bpe_vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
for s in byte_symbols + ["\u0120t", "he", "\u0120the", "in", "ing"]:
    bpe_vocab.setdefault(s, len(bpe_vocab))
bpe_vocab["<mask>"] = len(bpe_vocab)
added = lambda i, c, special=True, lstrip=False: {"id": i, "content": c, "single_word": False, "lstrip": lstrip,
                                                  "rstrip": False, "normalized": False, "special": special}
bpe = {"version": "1.0", "truncation": None, "padding": None,
       "added_tokens": [added(0, "<s>"), added(1, "<pad>"), added(2, "</s>"), added(3, "<unk>"),
                        added(bpe_vocab["<mask>"], "<mask>", lstrip=True)],
       "normalizer": None, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                                             "use_regex": True},
       "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": True,
                          "add_prefix_space": False},
       "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
       "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                 "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                 "vocab": bpe_vocab, "merges": ["\u0120 t", "h e", "\u0120t he", "i n", "in g"]}}
out("TokenizerJsonFuzzTest", "tokenizerJson", "bpe.json", json.dumps(bpe, ensure_ascii=False))

wp_vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "paris", "is", "the", "of", "france", ".", "##s", "##ing",
            "un", "##ic", "##ode", "東", "京", "don", "'", "t"]
wp = {"version": "1.0", "truncation": None, "padding": None,
      "added_tokens": [added(i, t) for i, t in enumerate(wp_vocab[:5])],
      "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None,
                     "lowercase": True},
      "pre_tokenizer": {"type": "BertPreTokenizer"},
      "post_processor": {"type": "TemplateProcessing",
                         "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                    {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                         "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                  {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                                  {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                         "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                                            "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
      "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
      "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(wp_vocab)}}}
out("TokenizerJsonFuzzTest", "tokenizerJson", "wordpiece.json", json.dumps(wp, ensure_ascii=False))

pieces = [["<s>", 0.0], ["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["\u2581", -2.0], ["\u2581Paris", -5.0],
          ["\u2581is", -4.0], ["\u2581the", -3.0], ["s", -6.0], ["a", -7.0], ["e", -7.0], ["\u2581of", -4.5],
          ["<mask>", 0.0]]
uni = {"version": "1.0", "truncation": None, "padding": None,
       "added_tokens": [added(0, "<s>"), added(1, "<pad>"), added(2, "</s>"), added(3, "<unk>"),
                        added(12, "<mask>", lstrip=True)],
       "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"},
                      {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}, {"type": "Strip",
                       "strip_left": False, "strip_right": True}]},
       "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
       "post_processor": {"type": "TemplateProcessing",
                          "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                     {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                          "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                   {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                                   {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                          "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]},
                                             "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}},
       "decoder": {"type": "Sequence", "decoders": [{"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                   "split": True}, {"type": "Replace", "pattern": {"String": "<"}, "content": "("}]},
       "model": {"type": "Unigram", "unk_id": 3, "vocab": pieces, "byte_fallback": False}}
out("TokenizerJsonFuzzTest", "tokenizerJson", "unigram.json", json.dumps(uni, ensure_ascii=False))

vocab = {t: i for t, i in bpe_vocab.items()}
out("VocabMergesFuzzTest", "vocabMerges", "roberta", json.dumps(vocab, ensure_ascii=False).encode() + b"\x00"
    + "#version: 0.2\n\u0120 t\nh e\n\u0120t he\ni n\nin g\n".encode())
out("VocabTxtFuzzTest", "vocabTxt", "bert", "\n".join(wp_vocab) + "\n")
out("VocabTxtFuzzTest", "vocabTxt", "crlf", "\r\n".join(wp_vocab))
out("TokenizerConfigFuzzTest", "tokenizerConfig", "roberta", json.dumps({
    "add_prefix_space": False, "clean_up_tokenization_spaces": True, "model_max_length": 512,
    "added_tokens_decoder": {"261": {"content": "<mask>", "lstrip": True, "normalized": False, "rstrip": False,
                                    "single_word": False, "special": True}},
    "mask_token": "<mask>", "pad_token": "<pad>", "trim_offsets": True}).encode() + b"\x00" + json.dumps({
    "bos_token": "<s>", "cls_token": {"content": "<s>", "lstrip": False}, "mask_token": {"content": "<mask>", "lstrip": True}}).encode())
out("TokenizerConfigFuzzTest", "tokenizerConfig", "bert-names", json.dumps({
    "cls_token": "[CLS]", "sep_token": "[SEP]", "mask_token": "[MASK]", "do_lower_case": False}).encode() + b"\x00{}")

for name, text in [("plain", "Paris is the <mask> of France."), ("unicode", "東京 Ünïcödé 🎉\u200d\u0301 \t\u00a0 x"),
                   ("spaces", "a" + " " * 40 + "b\n\n\r\u2028c")]:
    out("EncodeFuzzTest", "encode", name, text.encode("utf-8") + bytes([1, 7, 0, 40, 2]), package="tokenizer")

from transformers import BertConfig, BertModel
bert = BertModel(BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                            intermediate_size=16, max_position_embeddings=16)).eval()
ids = torch.tensor([[2, 5, 6, 3]])
buf = io.BytesIO()
torch.onnx.export(bert, (ids, torch.ones_like(ids), torch.zeros_like(ids)), buf,
                  input_names=["input_ids", "attention_mask", "token_type_ids"],
                  output_names=["last_hidden_state", "pooler_output"], opset_version=14,
                  dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"},
                                "token_type_ids": {0: "b", 1: "t"}})
out("OnnxFuzzTest", "onnx", "tiny-bert.onnx", buf.getvalue(), package="onnx")
