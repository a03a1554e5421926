"""The cases: every family with every head, every sparsity type, the LSG options, family-specific
structure (ALBERT groups, ELECTRA projection and sequence summary, DistilBERT sinusoidal positions),
plain (non-LSG) models, and conversions. All tiny: vocab 200, hidden 32, 2 layers, 4 heads."""
from .forward import Case
from .families import FAMILIES
from .conversion import Conversion

FAMS = list(FAMILIES)
HEADS = ["base", "mlm", "seqcls", "tokcls", "qa", "mc"]
SPARSITY = ["none", "norm", "pooling", "lsh", "stride", "block_stride", "bos_pooling"]
TYPED = {"bert", "electra", "albert"}


def _labels(head):
    return dict(seqcls=dict(num_labels=3), tokcls=dict(num_labels=5)).get(head, {})


def heads():
    """Each family x each head on the long path (adaptive padding, padded batch), a sparsity type each."""
    out = []
    for i, fam in enumerate(FAMS):
        for j, head in enumerate(HEADS):
            sp = SPARSITY[(i + j) % len(SPARSITY)]
            cfg = dict(sparsity_type=sp, **_labels(head))
            if head == "mc":
                cfg.update(block_size=8, sparse_block_size=8)
                out.append(Case("%s-%s-%s" % (fam, head, sp), fam, head, "%s %s, %s f=2, 2 x 3 choices x 43 tokens "
                                "(adaptive 48, block 8), padded" % (fam, head, sp), cfg=cfg, n=2, choices=3, t=43,
                                token_types=fam in TYPED))
            else:
                out.append(Case("%s-%s-%s" % (fam, head, sp), fam, head, "%s %s, %s f=2, T=75 -> adaptive 80, batch 2"
                                " padded" % (fam, head, sp), cfg=cfg, token_types=fam in TYPED))
    return out


def sparsity():
    """Each family x each sparsity type, base model, a heavily padded row, factors 2 and 4."""
    out = []
    for fam in FAMS:
        for k, sp in enumerate(SPARSITY):
            f = 4 if k % 2 else 2
            out.append(Case("%s-sp-%s-f%d" % (fam, sp, f), fam, "base", "%s base, %s f=%d, T=75 -> 80, rows of 75 and"
                            " 21 real tokens, hidden states" % (fam, sp, f), cfg=dict(sparsity_type=sp, sparsity_factor=f),
                            lengths=[75, 21]))
        # lsh with two pre-rounds and factor 4, 3 globals
        out.append(Case("%s-lsh-pre2-f4-g3" % fam, fam, "base", "lsh, lsh_num_pre_rounds=2, f=4, 3 global tokens",
                        cfg=dict(sparsity_type="lsh", sparsity_factor=4, lsh_num_pre_rounds=2, num_global_tokens=3)))
        out.append(Case("%s-lsh-f8-sbs8" % fam, fam, "mlm", "lsh with sparsity_factor == sparse_block_size 8 (falls "
                        "back to bos_pooling), block 16", cfg=dict(sparsity_type="lsh", sparsity_factor=8,
                                                                    sparse_block_size=8)))
        out.append(Case("%s-norm-sbs8-b16" % fam, fam, "base", "norm, sparse_block_size 8, block 16, f=4",
                        cfg=dict(sparsity_type="norm", sparse_block_size=8, sparsity_factor=4)))
        out.append(Case("%s-pooling-sbs32-b16" % fam, fam, "base", "pooling, sparse_block_size 32, block 16, T=96",
                        cfg=dict(sparsity_type="pooling", sparse_block_size=32), t=96, lengths=[96, 70]))
        out.append(Case("%s-bos_pooling-f1" % fam, fam, "base", "bos_pooling, sparsity_factor 1",
                        cfg=dict(sparsity_type="bos_pooling", sparsity_factor=1)))
        out.append(Case("%s-sbs0-stride" % fam, fam, "base", "stride, sparse_block_size 0 (no sparse keys)",
                        cfg=dict(sparsity_type="stride", sparse_block_size=0)))
    return out


def options():
    """mask_first_token, pool_with_global, global tokens, adaptive, short path, padding, losses."""
    out = []
    for fam in FAMS:
        tt = fam in TYPED
        out += [
            Case("%s-mask-first-token" % fam, fam, "base", "mask_first_token=True (forces pool_with_global), norm",
                 cfg=dict(mask_first_token=True), token_types=tt),
            Case("%s-mask-first-token-mlm-short" % fam, fam, "mlm", "mask_first_token on the short path (T=30)",
                 cfg=dict(mask_first_token=True, sparsity_type="pooling"), t=30),
            Case("%s-mask-first-no-pool-seqcls" % fam, fam, "seqcls", "mask_first_token=True with "
                 "pool_with_global=False (config forces True)", cfg=dict(mask_first_token=True, pool_with_global=False,
                                                                         num_labels=3)),
            Case("%s-no-global-pool-seqcls" % fam, fam, "seqcls", "pool_with_global=False, bos_pooling",
                 cfg=dict(pool_with_global=False, sparsity_type="bos_pooling", num_labels=3), token_types=tt),
            Case("%s-no-global-pool-base" % fam, fam, "base", "pool_with_global=False, stride, hidden states",
                 cfg=dict(pool_with_global=False, sparsity_type="stride")),
            Case("%s-no-global-pool-mc" % fam, fam, "mc", "pool_with_global=False, multiple choice, norm",
                 cfg=dict(pool_with_global=False, block_size=8, sparse_block_size=8), n=1, choices=4, t=43),
            Case("%s-g5-tokcls" % fam, fam, "tokcls", "5 global tokens, block_stride",
                 cfg=dict(num_global_tokens=5, sparsity_type="block_stride", num_labels=4)),
            Case("%s-g7-base" % fam, fam, "base", "7 global tokens, lsh f=4",
                 cfg=dict(num_global_tokens=7, sparsity_type="lsh", sparsity_factor=4)),
            Case("%s-g0-clamped" % fam, fam, "base", "num_global_tokens=0 (clamped to 1)",
                 cfg=dict(num_global_tokens=0)),
            Case("%s-adaptive-false-aligned" % fam, fam, "base", "adaptive=False, T=80 (a multiple of 16)",
                 cfg=dict(adaptive=False, sparsity_type="pooling"), t=80),
            Case("%s-adaptive-false-unaligned" % fam, fam, "base", "adaptive=False, T=75: the reference fails",
                 cfg=dict(adaptive=False), f64=False),
            Case("%s-short-padded-base" % fam, fam, "base", "short path T=30, batch 3 padded",
                 n=3, t=30, lengths=[30, 17, 5], token_types=tt),
            Case("%s-boundary-t32" % fam, fam, "base", "T=32 = 2*block: short path", t=32, lengths=[32, 31]),
            Case("%s-boundary-t33" % fam, fam, "base", "T=33: long path, adaptive 48", t=33, lengths=[33, 20]),
            Case("%s-left-pad" % fam, fam, "base", "left-padded rows, bos_pooling",
                 cfg=dict(sparsity_type="bos_pooling"), pad_side="left", lengths=[75, 40]),
            Case("%s-seqcls-multilabel" % fam, fam, "seqcls", "multi-label (problem_type set), pooling",
                 cfg=dict(num_labels=4, problem_type="multi_label_classification", sparsity_type="pooling"),
                 labels="multi"),
            Case("%s-seqcls-multilabel-inferred" % fam, fam, "seqcls", "float labels, problem_type unset: BCE",
                 cfg=dict(num_labels=4), labels="multi"),
            Case("%s-seqcls-regression" % fam, fam, "seqcls", "regression, num_labels=1 (problem_type inferred)",
                 cfg=dict(num_labels=1), labels="regression"),
            Case("%s-seqcls-regression-3" % fam, fam, "seqcls", "regression, 3 outputs, problem_type set",
                 cfg=dict(num_labels=3, problem_type="regression"), labels="regression"),
            Case("%s-seqcls-single-set" % fam, fam, "seqcls", "problem_type single_label_classification set, n=3",
                 cfg=dict(num_labels=2, problem_type="single_label_classification"), n=3),
            Case("%s-qa-out-of-range" % fam, fam, "qa", "QA positions outside [0, T): clamped, T ignored",
                 qa_positions=[[-3, 90, 75], [200, 5, 79]], n=3),
            Case("%s-mc-long-lsh" % fam, fam, "mc", "multiple choice on the long path with lsh",
                 cfg=dict(sparsity_type="lsh", block_size=8, sparse_block_size=8), n=2, choices=2, t=43,
                 token_types=tt),
            Case("%s-mlm-no-labels" % fam, fam, "mlm", "masked LM without labels", labels="none"),
        ]
        if tt:
            out.append(Case("%s-types3-base" % fam, fam, "base", "type_vocab_size 3, token types 0/1",
                            cfg=dict(type_vocab_size=3), token_types=True))
    return out


def structure():
    """ALBERT groups, ELECTRA projection and sequence summary, DistilBERT sinusoidal positions, activations."""
    out = []
    for name, layers, groups, inner in [("g2-i2-l4", 4, 2, 2), ("g2-i1-l3", 3, 2, 1), ("g1-i2-l2", 2, 1, 2),
                                        ("g2-i2-l2", 2, 2, 2), ("g3-i1-l3", 3, 3, 1), ("g2-i1-l5", 5, 2, 1),
                                        ("g2-i3-l6", 6, 2, 3), ("g3-i1-l5", 5, 3, 1), ("g3-i2-l7", 7, 3, 2),
                                        ("g4-i1-l6", 6, 4, 1), ("g3-i3-l7", 7, 3, 3)]:
        cfg = dict(num_hidden_layers=layers, num_hidden_groups=groups, inner_group_num=inner, sparsity_type="lsh")
        out.append(Case("albert-groups-%s" % name, "albert", "base", "ALBERT %d layers over %d groups of %d inner "
                        "layers, lsh (draws per application)" % (layers, groups, inner), cfg=cfg, token_types=True))
        out.append(Case("albert-groups-%s-mlm" % name, "albert", "mlm", "ALBERT %d layers, %d groups, %d inner, MLM"
                        % (layers, groups, inner), cfg=dict(cfg, sparsity_type="norm")))
    out.append(Case("albert-gelu-exact", "albert", "mlm", "ALBERT with hidden_act gelu (exact)",
                    cfg=dict(hidden_act="gelu")))
    out.append(Case("albert-emb32", "albert", "seqcls", "ALBERT embedding_size == hidden_size",
                    cfg=dict(embedding_size=32, num_labels=3)))
    for head in ["base", "mlm", "seqcls", "mc", "qa", "tokcls"]:
        cfg = dict(embedding_size=32, **_labels(head))
        kw = dict(n=2, choices=2, t=43, cfg=dict(cfg, block_size=8, sparse_block_size=8)) if head == "mc" else dict(cfg=cfg)
        out.append(Case("electra-emb32-%s" % head, "electra", head, "ELECTRA embedding_size == hidden_size (no "
                        "embeddings_project)", token_types=True, **kw))
    for name, extra in [("last", dict(summary_type="last")), ("mean", dict(summary_type="mean")),
                        ("noproj", dict(summary_use_proj=False)), ("tanh", dict(summary_activation="tanh")),
                        ("act-none", dict(summary_activation=None)),
                        ("proj-labels", dict(summary_proj_to_labels=True, num_labels=1)),
                        ("first-dropout", dict(summary_first_dropout=0.3))]:
        out.append(Case("electra-mc-summary-%s" % name, "electra", "mc", "ELECTRA multiple choice, sequence summary "
                        + str(extra), cfg=dict(extra, block_size=8, sparse_block_size=8), n=2, choices=2, t=43))
    out.append(Case("electra-hidden-act-relu-mlm", "electra", "mlm", "ELECTRA hidden_act relu (generator keeps gelu)",
                    cfg=dict(hidden_act="relu")))
    out.append(Case("electra-hidden-act-relu-seqcls", "electra", "seqcls", "ELECTRA hidden_act relu (head keeps gelu)",
                    cfg=dict(hidden_act="relu", num_labels=3)))
    for head in ["base", "mlm", "qa"]:
        out.append(Case("distilbert-sinusoidal-%s" % head, "distilbert", head, "DistilBERT sinusoidal_pos_embds=True",
                        cfg=dict(sinusoidal_pos_embds=True)))
    out.append(Case("distilbert-relu-mlm", "distilbert", "mlm", "DistilBERT activation relu", cfg=dict(activation="relu")))
    out.append(Case("distilbert-gelu-new-seqcls", "distilbert", "seqcls", "DistilBERT activation gelu_new",
                    cfg=dict(activation="gelu_new", num_labels=3)))
    out.append(Case("bert-gelu-new-mlm", "bert", "mlm", "BERT hidden_act gelu_new", cfg=dict(hidden_act="gelu_new")))
    out.append(Case("bert-relu-mlm", "bert", "mlm", "BERT hidden_act relu", cfg=dict(hidden_act="relu")))
    out.append(Case("roberta-relu-mlm", "roberta", "mlm", "RoBERTa hidden_act relu (lm_head keeps gelu)",
                    cfg=dict(hidden_act="relu")))
    out.append(Case("xlm_roberta-gelu-new-seqcls", "xlm_roberta", "seqcls", "XLM-R hidden_act gelu_new",
                    cfg=dict(hidden_act="gelu_new", num_labels=3)))
    out.append(Case("bert-pad-id-5", "bert", "base", "BERT pad_token_id 5 (positions still arange)",
                    cfg=dict(pad_token_id=5)))
    out.append(Case("camembert-extra-position-rows", "camembert", "base", "CamemBERT with a position table 2 rows "
                    "longer than needed (max_position_embeddings T+4)", cfg=dict(max_position_embeddings=79)))
    out.append(Case("bert-hidden64-h8", "bert", "mlm", "hidden 64, 8 heads, intermediate 96, 3 layers",
                    cfg=dict(hidden_size=64, num_attention_heads=8, intermediate_size=96, num_hidden_layers=3)))
    out.append(Case("bert-long-bigger", "bert", "base", "T=300 -> 304, block 16, norm f=4, 2 globals", t=300,
                    lengths=[300, 190], cfg=dict(sparsity_factor=4, num_global_tokens=2)))
    out.append(Case("xlm_roberta-long-bigger", "xlm_roberta", "base", "T=300 -> 320, block 32, lsh f=4", t=300,
                    lengths=[300, 111], cfg=dict(block_size=32, sparse_block_size=32, sparsity_factor=4,
                                                 sparsity_type="lsh")))
    return out


def extras():
    """Position types, missing optional inputs, odd widths, tiny and batch-1 inputs."""
    out = []
    for fam in ["bert", "roberta", "electra", "albert"]:
        out.append(Case("%s-relative-key" % fam, fam, "base", "position_embedding_type relative_key (LSG skips "
                        "positions and relative terms)", cfg=dict(position_embedding_type="relative_key")))
        out.append(Case("plain-%s-relative-key" % fam, fam, "base", "plain model, position_embedding_type "
                        "relative_key", lsg=False, cfg=dict(position_embedding_type="relative_key"), t=40))
        out.append(Case("plain-%s-relative-key-query" % fam, fam, "mlm", "plain model, relative_key_query",
                        lsg=False, cfg=dict(position_embedding_type="relative_key_query"), t=40))
    for fam in FAMS:
        out.append(Case("%s-no-mask-input" % fam, fam, "mlm", "no attention_mask in the call, no padding",
                        lengths=[75, 75], labels="none", omit=["attention_mask"]))
        out.append(Case("%s-batch1-t2" % fam, fam, "base", "one row of 2 tokens", n=1, t=2))
        out.append(Case("%s-batch1-long" % fam, fam, "seqcls", "batch 1, T=129, block 16 -> 144, lsh",
                        n=1, t=129, cfg=dict(sparsity_type="lsh", num_labels=2)))
        wide = dict(hidden_size=36, num_attention_heads=3, intermediate_size=72)
        if fam == "distilbert":
            wide = dict(dim=36, n_heads=3, hidden_dim=72)
        if fam in ("electra", "albert"):
            wide["embedding_size"] = 20
        out.append(Case("%s-odd-widths" % fam, fam, "mlm", "hidden 36, 3 heads (head_dim 12), intermediate 72",
                        cfg=dict(wide, sparsity_type="bos_pooling")))
        out.append(Case("%s-block8-f8" % fam, fam, "base", "block 8, sparse block 8, norm f=8 (step 1)",
                        cfg=dict(block_size=8, sparse_block_size=8, sparsity_factor=8), t=61))
    return out


def weight_files():
    """The same kind of cases with pytorch_model.bin (torch zip-pickle) or sharded safetensors."""
    out = []
    for fam in FAMS:
        out.append(Case("%s-bin-mlm" % fam, fam, "mlm", "weights as pytorch_model.bin (save_pretrained, "
                        "safe_serialization=False), tied decoder", weights="bin", hidden=False))
        out.append(Case("%s-bin-mc" % fam, fam, "mc", "weights as pytorch_model.bin, multiple choice", weights="bin",
                        cfg=dict(block_size=8, sparse_block_size=8), n=1, choices=2, t=43, hidden=False))
        out.append(Case("%s-sharded-seqcls" % fam, fam, "seqcls", "sharded safetensors (max_shard_size 20KB) with "
                        "model.safetensors.index.json", weights="sharded", cfg=dict(num_labels=3), hidden=False))
    out.append(Case("plain-bert-bin-qa", "bert", "qa", "plain BERT QA as pytorch_model.bin", lsg=False, t=40,
                    weights="bin", hidden=False))
    return out


def plain():
    """Plain (non-LSG) Hugging Face models of each family with each head: lsg4j runs them with full attention."""
    out = []
    for fam in FAMS:
        for head in HEADS:
            kw = dict(n=2, choices=2, t=24) if head == "mc" else dict(t=40, lengths=[40, 23])
            out.append(Case("plain-%s-%s" % (fam, head), fam, head, "plain %s %s, padded batch"
                            % (FAMILIES[fam].plain_class(head), head), lsg=False, cfg=_labels(head),
                            token_types=fam in TYPED, **kw))
    out.append(Case("plain-distilbert-sinusoidal", "distilbert", "mlm", "plain DistilBERT, sinusoidal positions",
                    lsg=False, cfg=dict(sinusoidal_pos_embds=True), t=40))
    out.append(Case("plain-albert-groups", "albert", "base", "plain ALBERT, 4 layers over 2 groups of 2",
                    lsg=False, cfg=dict(num_hidden_layers=4, num_hidden_groups=2, inner_group_num=2), t=40))
    out.append(Case("plain-electra-emb32", "electra", "base", "plain ELECTRA, embedding_size == hidden_size",
                    lsg=False, cfg=dict(embedding_size=32), t=40))
    out.append(Case("plain-roberta-left-pad", "roberta", "base", "plain RoBERTa, left padding", lsg=False, t=40,
                    pad_side="left", lengths=[40, 25]))
    return out


def conversions():
    out = []
    for fam in FAMS:
        src_rows = 512 + (2 if FAMILIES[fam].roberta_positions else 0)
        out.append(Conversion("convert-%s-mlm-1024" % fam, fam, "mlm", src_rows, 1024,
                              dict(block_size=32, sparse_block_size=32, sparsity_factor=4, num_global_tokens=3,
                                   sparsity_type="norm"), stride=64))
        out.append(Conversion("convert-%s-random-global" % fam, fam, "base", src_rows, 1024,
                              dict(block_size=32, num_global_tokens=2), stride=16, random_global_init=True))
        out.append(Conversion("convert-%s-seqcls-stride16" % fam, fam, "seqcls", src_rows + 8, 1024,
                              dict(block_size=32, sparse_block_size=16, sparsity_factor=2, sparsity_type="lsh"),
                              stride=16))
        out.append(Conversion("convert-%s-lsg-keep-first" % fam, fam, "mlm", src_rows, 2048,
                              dict(block_size=32, num_global_tokens=4, sparsity_type="pooling"), stride=32,
                              lsg_source=True, keep_first_global_token=True))
        out.append(Conversion("convert-%s-lsg-full" % fam, fam, "tokcls", src_rows, 1024,
                              dict(num_global_tokens=2), stride=64, lsg_source=True))
        out.append(Conversion("convert-%s-lsg-resize" % fam, fam, "qa", src_rows, 2048,
                              dict(sparsity_type="bos_pooling", sparsity_factor=4), stride=64, lsg_source=True,
                              resize_lsg=True))
    out.append(Conversion("convert-bert-no-token-ids", "bert", "mlm", 512, 1024, dict(block_size=32), stride=64,
                          use_token_ids=False))
    out.append(Conversion("convert-albert-no-token-ids", "albert", "mlm", 512, 1024, dict(block_size=32), stride=64,
                          use_token_ids=False))
    out.append(Conversion("convert-electra-mc", "electra", "mc", 512, 1024, dict(block_size=32), stride=64))
    out.append(Conversion("convert-albert-qa-1536", "albert", "qa", 512, 1536, dict(block_size=64,
                          sparse_block_size=64), stride=64))
    out.append(Conversion("convert-roberta-base-600", "roberta", "base", 602, 1024, dict(block_size=32), stride=64))
    for fam in FAMS:
        rows = 1024 + (2 if FAMILIES[fam].roberta_positions else 0)
        out.append(Conversion("convert-%s-src1024" % fam, fam, "mlm", rows, 2048, dict(block_size=64), stride=64))
    out.append(Conversion("convert-bert-src1100", "bert", "seqcls", 1100, 2048, dict(block_size=32), stride=32))
    for fam in ["bert", "electra", "albert"]:
        out.append(Conversion("convert-%s-pretraining" % fam, fam, "pretraining", 512, 1024, dict(block_size=32)))
    out.append(Conversion("convert-roberta-options", "roberta", "mlm", 514, 1024,
                          dict(block_size=32, pool_with_global=False, mask_first_token=True, adaptive=False,
                               lsh_num_pre_rounds=2, num_global_tokens=600, sparsity_type="lsh"), stride=64))
    out.append(Conversion("convert-bert-unknown-sparsity", "bert", "base", 512, 1024,
                          dict(block_size=32, sparsity_type="random", num_global_tokens=0), stride=64))
    for fam in FAMS:
        rows = 512 + (2 if FAMILIES[fam].roberta_positions else 0)
        out.append(Conversion("convert-%s-bin-mlm" % fam, fam, "mlm", rows, 1024, dict(block_size=32), stride=64,
                              source_weights="bin"))
    out.append(Conversion("convert-albert-lsg-keep-first-random", "albert", "mlm", 512, 1024, dict(block_size=32),
                          stride=64, lsg_source=True, keep_first_global_token=True, random_global_init=True))
    out.append(Conversion("convert-xlm_roberta-lsg-random-resize", "xlm_roberta", "base", 514, 1024, dict(),
                          stride=64, lsg_source=True, resize_lsg=True, random_global_init=True))
    for fam in ["bert", "roberta", "electra", "albert"]:
        rows = 512 + (2 if FAMILIES[fam].roberta_positions else 0)
        out.append(Conversion("convert-%s-relative-key-source" % fam, fam, "mlm", rows, 1024, dict(block_size=32),
                              stride=64, source_cfg=dict(position_embedding_type="relative_key")))
    out.append(Conversion("convert-electra-bin-source", "electra", "mlm", 512, 1024, dict(block_size=32), stride=64,
                          source_weights="bin"))
    out.append(Conversion("convert-albert-sharded-source", "albert", "seqcls", 512, 1024, dict(block_size=32),
                          stride=64, source_weights="sharded"))
    out.append(Conversion("convert-camembert-bin-lsg-resize", "camembert", "mlm", 514, 2048, dict(), stride=64,
                          lsg_source=True, resize_lsg=True, source_weights="bin"))
    out.append(Conversion("convert-bert-shrink", "bert", "mlm", 1024, 512, dict(block_size=32), stride=64))
    out.append(Conversion("convert-bert-unaligned-1000", "bert", "mlm", 512, 1000, dict(block_size=32), stride=64))
    out.append(Conversion("convert-xlm_roberta-unaligned-1000", "xlm_roberta", "mlm", 514, 1000,
                          dict(block_size=32), stride=64))
    return out


def fuzz(count=40):
    """Seeded random combinations per family: block and sparse block sizes, factors, sparsity types,
    global tokens, lengths, padding sides, batch sizes, heads and options. Combinations the reference
    refuses are kept as expected errors: lsg4j must refuse them too."""
    import random
    out = []
    for fam in FAMS:
        rnd = random.Random("fuzz-" + fam)
        for k in range(count):
            head = rnd.choice(HEADS)
            block = rnd.choice([4, 8, 16, 32])
            cfg = dict(block_size=block, sparse_block_size=rnd.choice([0, 4, 8, 12, 16, 24, 32]),
                       sparsity_factor=rnd.choice([1, 2, 4, 8]), sparsity_type=rnd.choice(SPARSITY),
                       num_global_tokens=rnd.choice([1, 1, 2, 3, 9]), mask_first_token=rnd.random() < 0.2,
                       pool_with_global=rnd.random() < 0.7, lsh_num_pre_rounds=rnd.choice([0, 1, 1, 2]),
                       adaptive=rnd.random() < 0.9, **_labels(head))
            if head == "seqcls" and rnd.random() < 0.3:
                cfg["num_labels"] = 1
            if cfg["sparsity_factor"] > block:
                cfg["sparsity_factor"] = block
            if fam in ("electra", "albert") and rnd.random() < 0.3:
                cfg["embedding_size"] = rnd.choice([8, 32])
            if fam == "albert":
                cfg.update(num_hidden_layers=rnd.choice([1, 2, 3]))
                cfg["num_hidden_groups"] = rnd.choice([1, cfg["num_hidden_layers"]])
            choices = rnd.choice([2, 3]) if head == "mc" else 0
            n = rnd.choice([1, 2, 3])
            t = rnd.randint(5, 70 if head == "mc" else 160)
            rows = n * max(choices, 1)
            lengths = [t] + [rnd.randint(2, t) for _ in range(rows - 1)]
            rnd.shuffle(lengths)
            out.append(Case("fuzz-%s-%02d-%s" % (fam, k, head), fam, head, "seeded random combination: %s, T=%d, "
                            "lengths %s" % (cfg, t, lengths), cfg=cfg, n=n, choices=choices, t=t, lengths=lengths,
                            token_types=fam in TYPED and rnd.random() < 0.5,
                            pad_side=rnd.choice(["right", "right", "left"]), hidden=rnd.random() < 0.5, f64=False))
    return out


def gradients():
    """Every family x every head with gradients: every parameter trainable (as lsg-gradients), and the
    model card's recipe (global embeddings + head, as lsg-roberta's grad-*), over the sparsity types."""
    out = []
    for i, fam in enumerate(FAMS):
        for j, head in enumerate(HEADS):
            sp = SPARSITY[(i + 2 * j) % len(SPARSITY)]
            cfg = dict(sparsity_type=sp, **_labels(head))
            kw = dict(n=2, choices=2, t=43, cfg=dict(cfg, block_size=8, sparse_block_size=8)) if head == "mc" \
                else dict(cfg=cfg)
            for recipe in ("all", "head"):
                out.append(Case("grad-%s-%s-%s-%s" % (recipe, fam, head, sp), fam, head, "gradients (%s trainable), "
                                "%s %s, %s" % (recipe, fam, head, sp), token_types=fam in TYPED, grad=recipe,
                                hidden=False, **kw))
        out.append(Case("grad-all-%s-mask-first-pool-false-seqcls" % fam, fam, "seqcls", "gradients, mask_first_token, "
                        "2 globals, multi-label", cfg=dict(mask_first_token=True, num_global_tokens=2, num_labels=3),
                        labels="multi", grad="all", hidden=False))
        out.append(Case("grad-all-%s-no-pool-regression" % fam, fam, "seqcls", "gradients, pool_with_global=False, "
                        "regression, left padding", cfg=dict(pool_with_global=False, num_labels=1, sparsity_type="lsh"),
                        labels="regression", pad_side="left", grad="all", hidden=False))
        out.append(Case("grad-all-%s-short-tokcls" % fam, fam, "tokcls", "gradients, short path, batch 3 padded",
                        cfg=dict(num_labels=4), n=3, t=30, lengths=[30, 17, 4], grad="all", hidden=False))
        out.append(Case("grad-all-plain-%s-mlm" % fam, fam, "mlm", "gradients of a plain model", lsg=False, t=40,
                        grad="all", hidden=False))
    for name, layers, groups, inner in [("l3-g2", 3, 2, 1), ("l4-g2-i2", 4, 2, 2)]:
        out.append(Case("grad-all-albert-groups-%s" % name, "albert", "mlm", "gradients through shared ALBERT layers",
                        cfg=dict(num_hidden_layers=layers, num_hidden_groups=groups, inner_group_num=inner,
                                 sparsity_type="lsh"), grad="all", hidden=False))
    out.append(Case("grad-all-electra-emb32-mc", "electra", "mc", "gradients, ELECTRA without projection, MC",
                    cfg=dict(embedding_size=32, block_size=8, sparse_block_size=8), n=2, choices=2, t=43, grad="all",
                    hidden=False))
    out.append(Case("grad-all-distilbert-sinusoidal-qa", "distilbert", "qa", "gradients, sinusoidal positions (HF "
                    "sets requires_grad False on that table; here every parameter is trainable)",
                    cfg=dict(sinusoidal_pos_embds=True), grad="all", hidden=False))
    return out


def _tiny(fam, lsg=True, **extra):
    """The committed cases' size: vocab 120, hidden 16, 2 heads, intermediate 32 (embedding 8), block 8."""
    if fam == "distilbert":
        d = dict(vocab_size=120, dim=16, n_heads=2, hidden_dim=32)
    else:
        d = dict(vocab_size=120, hidden_size=16, num_attention_heads=2, intermediate_size=32)
        if fam in ("electra", "albert"):
            d["embedding_size"] = 8
    if lsg:
        d.update(block_size=8, sparse_block_size=8)
    d.update(extra)
    return d


def extra_fixtures():
    """The few small cases committed under core/src/test/resources/fixtures/lsg-extra: what the public
    sets do not pin (ELECTRA's sequence summary, ALBERT's groups, sinusoidal positions, no ELECTRA
    projection, plain models, BERT QA) and one configuration the reference refuses."""
    return [
        Case("electra-mc-lsh-types", "electra", "mc", "ELECTRA multiple choice (sequence summary: first token, "
             "projection, gelu), lsh f=2, token_type_ids, 2 x 2 choices x 37 tokens -> adaptive 40",
             cfg=_tiny("electra", sparsity_type="lsh"), n=2, choices=2, t=37, token_types=True, f64=False, hidden=False),
        Case("electra-mc-summary-activation-null", "electra", "mc", "ELECTRA multiple choice with "
             "summary_activation null (SequenceSummary applies no activation), short path",
             cfg=_tiny("electra", summary_activation=None), n=1, choices=3, t=14, f64=False, hidden=False),
        Case("albert-l3-g2-lsh-hidden", "albert", "base", "ALBERT 3 layers over 2 groups (layers 0, 1 -> group 0, "
             "layer 2 -> group 1), lsh f=2: each application draws its own projections; hidden states",
             cfg=_tiny("albert", num_hidden_layers=3, num_hidden_groups=2, sparsity_type="lsh"), t=37,
             lengths=[37, 20], token_types=True, f64=False),
        Case("albert-l4-g2-i2-mlm", "albert", "mlm", "ALBERT 4 layers over 2 groups of 2 inner layers, norm f=2",
             cfg=_tiny("albert", num_hidden_layers=4, num_hidden_groups=2, inner_group_num=2), t=37,
             lengths=[37, 25], f64=False, hidden=False),
        Case("albert-l2-g2-i2-refused", "albert", "base", "ALBERT 2 layers, 2 groups of 2 inner layers: the "
             "reference fails (IndexError: each group has num_hidden_layers // num_hidden_groups = 1 head-mask entry)",
             cfg=_tiny("albert", num_hidden_layers=2, num_hidden_groups=2, inner_group_num=2), t=20, f64=False, hidden=False),
        Case("distilbert-sinusoidal-qa", "distilbert", "qa", "DistilBERT with sinusoidal_pos_embds, question "
             "answering, bos_pooling f=2, T=37 -> 40", cfg=_tiny("distilbert", sinusoidal_pos_embds=True,
                                                                 sparsity_type="bos_pooling"), t=37, f64=False, hidden=False),
        Case("electra-no-projection-multilabel", "electra", "seqcls", "ELECTRA with embedding_size == hidden_size "
             "(no embeddings_project), float labels and no problem_type (BCE), pooling f=2",
             cfg=_tiny("electra", embedding_size=16, num_labels=3, sparsity_type="pooling"), t=37, labels="multi",
             f64=False, hidden=False),
        Case("bert-qa-mask-first-stride", "bert", "qa", "BERT question answering, mask_first_token, stride f=2, "
             "token_type_ids, positions out of range", cfg=_tiny("bert", mask_first_token=True, sparsity_type="stride"),
             n=3, t=37, token_types=True, qa_positions=[[-2, 5, 37], [40, 36, 3]], f64=False, hidden=False),
        Case("plain-bert-tokcls", "bert", "tokcls", "plain BertForTokenClassification (full attention, no "
             "global tokens), token_type_ids, padded batch", lsg=False,
             cfg=dict(_tiny("bert", lsg=False, num_labels=3), max_position_embeddings=24), t=24, token_types=True, f64=False, hidden=False),
        Case("plain-xlm_roberta-mc", "xlm_roberta", "mc", "plain XLMRobertaForMultipleChoice, padded choices "
             "(positions from the ids, pads at padding_idx)", lsg=False, cfg=_tiny("xlm_roberta", lsg=False), n=1, choices=3,
             t=12, f64=False, hidden=False),
    ]


def all_cases(fuzz_count=40):
    return dict(forward=heads() + sparsity() + options() + structure() + extras() + weight_files() + plain() + fuzz(fuzz_count)
                + gradients(),
                conversion=conversions())
