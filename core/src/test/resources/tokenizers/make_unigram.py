#!/usr/bin/python3
"""Trains tiny SentencePiece Unigram models and writes their tokenizer.json files for the differential tests.

Run from this folder (core/src/test/resources/tokenizers) with Debian's sentencepiece (apt-get install -y python3-sentencepiece):

    /usr/bin/python3 make_unigram.py ../../../../../../shared/fixtures/tokenizer/roberta-base.jsonl

The corpus is the text of the roberta-base fixture records (many scripts, emoji, combining marks, controls).
Three files, laid out as transformers' converters lay out real ones (transformers 4.45):

  * unigram-xlmr.json.gz: XLMRobertaConverter. nmt_nfkc model, so Precompiled with the real precompiled_charsmap,
    then Strip(right) and Replace(" {2,}" -> "▁"); Metaspace (always, split); <s> A </s> / <s> A </s> </s> B </s>;
    vocab <s> <pad> </s> <unk> + learned pieces + <mask> (lstrip).
  * unigram-albert.json.gz: AlbertConverter. Replace(``), Replace(''), NFKD, StripAccents, Lowercase, Precompiled,
    Replace(" {2,}" -> " "); Metaspace; [CLS] A [SEP] / [CLS] A [SEP] B [SEP] with type ids 0 then 1; pieces ending in
    "<digit>," lose 100 of score; [MASK] (lstrip) is a user-defined symbol.
  * unigram-bytefallback.json: LlamaConverter's layout on a Unigram model trained with byte_fallback (identity
    normalization, so no charsmap): Prepend("▁") and Replace(" " -> "▁"), no pre-tokenizer, <0xHH> byte pieces,
    decoder Replace/ByteFallback/Fuse/Strip, <s> A / <s> A <s>:1 B:1.

The two with the ~240 KB charsmap are gzipped. The protobuf of the models is read by hand (no protobuf module needed).
"""
import base64
import gzip
import io
import json
import sys

import sentencepiece as spm


def varint(buf, i):
    value, shift = 0, 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def fields(buf):
    """(field number, wire type, value) of a protobuf message; lengths are bytes, fixed32 is raw bytes."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(buf, i)
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 2:
            length, i = varint(buf, i)
            value, i = buf[i:i + length], i + length
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wire)
        yield number, wire, value


def read_model(proto):
    """pieces as (piece, score, type) with SentencePiece's types (1 normal, 2 unknown, 3 control, 4 user, 6 byte),
    and the precompiled_charsmap."""
    import struct
    pieces, charsmap = [], b""
    for number, _, value in fields(proto):
        if number == 1:
            piece, score, kind = "", 0.0, 1
            for n, _, v in fields(value):
                if n == 1:
                    piece = v.decode("utf-8")
                elif n == 2:
                    score = struct.unpack("<f", v)[0]
                elif n == 3:
                    kind = v
            pieces.append((piece, score, kind))
        elif number == 3:
            for n, _, v in fields(value):
                if n == 2:
                    charsmap = v
    return pieces, charsmap


def train(corpus, **options):
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(input=corpus, model_writer=out, model_type="unigram", num_threads=1,
                                   minloglevel=2, **options)
    return read_model(out.getvalue())


def added(token_id, content, special=True, lstrip=False, normalized=False):
    return {"id": token_id, "content": content, "single_word": False, "lstrip": lstrip, "rstrip": False,
            "normalized": normalized, "special": special}


def special(token, type_id=0):
    return {"SpecialToken": {"id": token, "type_id": type_id}}


def sequence(which, type_id=0):
    return {"Sequence": {"id": which, "type_id": type_id}}


def specials(vocab, *tokens):
    ids = {piece: i for i, (piece, _) in enumerate(vocab)}
    return {t: {"id": t, "ids": [ids[t]], "tokens": [t]} for t in tokens}


def tokenizer_json(added_tokens, normalizer, pre_tokenizer, post_processor, decoder, vocab, unk_id, byte_fallback):
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added_tokens,
        "normalizer": normalizer, "pre_tokenizer": pre_tokenizer, "post_processor": post_processor, "decoder": decoder,
        "model": {"type": "Unigram", "unk_id": unk_id, "vocab": [[p, s] for p, s in vocab], "byte_fallback": byte_fallback},
    }


def metaspace(scheme="always", split=True):
    return {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": scheme, "split": split}


def xlmr(corpus):
    pieces, charsmap = train(corpus, vocab_size=1500, normalization_rule_name="nmt_nfkc", character_coverage=0.98)
    assert [p[0] for p in pieces[:3]] == ["<unk>", "<s>", "</s>"] and charsmap
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)] + [(p, s) for p, s, _ in pieces[3:]]
    vocab.append(("<mask>", 0.0))
    tokens = [added(0, "<s>"), added(1, "<pad>"), added(2, "</s>"), added(3, "<unk>"),
              added(len(vocab) - 1, "<mask>", lstrip=True)]
    normalizer = {"type": "Sequence", "normalizers": [
        {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii")},
        {"type": "Strip", "strip_left": False, "strip_right": True},
        {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": "\u2581"}]}
    post = {"type": "TemplateProcessing",
            "single": [special("<s>"), sequence("A"), special("</s>")],
            "pair": [special("<s>"), sequence("A"), special("</s>"), special("</s>"), sequence("B"), special("</s>")],
            "special_tokens": specials(vocab, "<s>", "</s>")}
    return tokenizer_json(tokens, normalizer, metaspace(), post, metaspace(), vocab, 3, False)


def albert(corpus):
    pieces, charsmap = train(corpus, vocab_size=1500, normalization_rule_name="nmt_nfkc", character_coverage=0.98,
                             pad_id=0, unk_id=1, bos_id=-1, eos_id=-1, control_symbols="[CLS],[SEP]",
                             user_defined_symbols="[MASK]")
    names = [p[0] for p in pieces[:5]]
    assert names == ["<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"], names

    def digit_comma(piece):
        return len(piece) >= 2 and piece[-1] == "," and piece[-2].isdigit()

    vocab = [(p, s - 100 if digit_comma(p) else s) for p, s, _ in pieces]
    tokens = [added(0, "<pad>"), added(1, "<unk>"), added(2, "[CLS]"), added(3, "[SEP]"), added(4, "[MASK]", lstrip=True)]
    normalizer = {"type": "Sequence", "normalizers": [
        {"type": "Replace", "pattern": {"String": "``"}, "content": "\""},
        {"type": "Replace", "pattern": {"String": "''"}, "content": "\""},
        {"type": "NFKD"}, {"type": "StripAccents"}, {"type": "Lowercase"},
        {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii")},
        {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]}
    post = {"type": "TemplateProcessing",
            "single": [special("[CLS]"), sequence("A"), special("[SEP]")],
            "pair": [special("[CLS]"), sequence("A"), special("[SEP]"), sequence("B", 1), special("[SEP]", 1)],
            "special_tokens": specials(vocab, "[CLS]", "[SEP]")}
    return tokenizer_json(tokens, normalizer, metaspace(), post, metaspace(), vocab, 1, False)


def byte_fallback(corpus):
    pieces, charsmap = train(corpus, vocab_size=1500, normalization_rule_name="identity", character_coverage=0.98,
                             byte_fallback=True)
    assert [p[0] for p in pieces[:3]] == ["<unk>", "<s>", "</s>"] and not charsmap
    assert sum(1 for p in pieces if p[2] == 6) == 256
    vocab = [(p, s) for p, s, _ in pieces]
    tokens = [added(0, "<unk>"), added(1, "<s>"), added(2, "</s>")]
    normalizer = {"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": "\u2581"},
        {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]}
    decoder = {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
        {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
    post = {"type": "TemplateProcessing",
            "single": [special("<s>"), sequence("A")],
            "pair": [special("<s>"), sequence("A"), special("<s>", 1), sequence("B", 1)],
            "special_tokens": specials(vocab, "<s>")}
    return tokenizer_json(tokens, normalizer, None, post, decoder, vocab, 0, True)


def main(records):
    corpus = "corpus.tmp.txt"
    with open(records, encoding="utf-8") as f, open(corpus, "w", encoding="utf-8") as out:
        for line in f:
            r = json.loads(line)
            for text in (r["text"], r.get("pair")):
                if text:
                    out.write(" ".join(text.splitlines()) + "\n")
    try:
        for name, make in (("unigram-xlmr.json.gz", xlmr), ("unigram-albert.json.gz", albert),
                           ("unigram-bytefallback.json", byte_fallback)):
            data = json.dumps(make(corpus), ensure_ascii=False, indent=None).encode("utf-8")
            if name.endswith(".gz"):
                data = gzip.compress(data, 9, mtime=0)
            with open(name, "wb") as f:
                f.write(data)
            print(name, len(data), "bytes")
    finally:
        import os
        os.remove(corpus)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
