"""One conversion case: a source checkpoint (plain, or LSG for keep_first_global_token / resize_lsg) with
dummy tokenizer files in input/, the reference converter's result in output/ (save_pretrained), and a
forward of the converted model on inputs longer than the source takes, in the layout of
/work/shared/fixtures/lsg-families/convert-*."""
import json
import os
import shutil
import zlib
from dataclasses import dataclass, field

from . import st
from .families import FAMILIES
from .reference import SHIM_SLOW_TOKENIZER
from .forward import Case, LSG_KEYS, build_model, describe, make_inputs, output_tensors, run_forward, save_model

# the LSG settings of an LSG source (before the conversion changes them)
SOURCE_LSG = dict(block_size=16, sparse_block_size=16, sparsity_factor=2, sparsity_type="norm", num_global_tokens=3)


@dataclass
class Conversion:
    name: str
    family: str
    head: str
    source_rows: int                 # max_position_embeddings of the source
    max_length: int                  # max_sequence_length
    model_kwargs: dict
    stride: int = 64                 # global_positional_stride
    random_global_init: bool = False
    keep_first_global_token: bool = False
    resize_lsg: bool = False
    lsg_source: bool = False
    use_token_ids: bool = True
    converter_seed: int = 123
    source_weights: str = "safetensors"   # how input/ stores the source: safetensors | bin | sharded
    source_cfg: dict = field(default_factory=dict)   # more config arguments of the source

    @property
    def seed(self):
        return zlib.crc32(self.name.encode()) % 100000

    def source_case(self):
        fam = FAMILIES[self.family]
        cfg = dict(max_position_embeddings=self.source_rows)
        if self.lsg_source:
            cfg.update(SOURCE_LSG)
        if self.head == "seqcls":
            cfg["num_labels"] = 3
        if self.head == "tokcls":
            cfg["num_labels"] = 4
        cfg.update(self.source_cfg)
        return Case(self.name + "-source", self.family, self.head, lsg=self.lsg_source, cfg=cfg)

    def forward_case(self, config):
        """Inputs for the converted model: longer than the source's positions, padded batch."""
        fam = FAMILIES[self.family]
        src_tokens = self.source_rows - (2 if fam.roberta_positions else 0)
        t = min(src_tokens + 90, self.max_length)
        if not config.adaptive:   # the reference needs a multiple of block_size then
            t -= t % config.block_size
        kw = dict(n=1, choices=2, t=t) if self.head == "mc" else dict(n=2, t=t, lengths=[t, t - 300])
        return Case(self.name, self.family, self.head, lsg=True, token_types=fam.token_types, **kw)


def write_tokenizer(fam, vocab, folder):
    """Dummy tokenizer files with the family's special token ids (the converter reads only bos/cls and mask)."""
    if fam.roberta_positions:
        tokens = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
        for i in range(4, vocab - 1):
            tokens["t%d" % i] = i
        tokens["<mask>"] = vocab - 1
        with open(os.path.join(folder, "vocab.json"), "w") as f:
            json.dump(tokens, f, indent=2)
        with open(os.path.join(folder, "merges.txt"), "w") as f:
            f.write("#version: 0.2\n")
        cfg = dict(tokenizer_class="RobertaTokenizer", bos_token="<s>", eos_token="</s>", sep_token="</s>",
                   cls_token="<s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>", model_max_length=512)
    else:
        special = {fam.pad: "[PAD]" if fam.name != "albert" else "<pad>", fam.cls: "[CLS]", fam.sep: "[SEP]",
                   fam.mask: "[MASK]", 100 if fam.name != "albert" else 1: "[UNK]" if fam.name != "albert" else "<unk>"}
        lines = [special.get(i, "[unused%d]" % i if i < 100 else "w%d" % i) for i in range(vocab)]
        with open(os.path.join(folder, "vocab.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        klass = {"bert": "BertTokenizer", "distilbert": "DistilBertTokenizer", "electra": "ElectraTokenizer",
                 "albert": "BertTokenizer"}[fam.name]
        cfg = dict(tokenizer_class=klass, do_lower_case=True, cls_token="[CLS]", sep_token="[SEP]",
                   mask_token="[MASK]", pad_token=special[fam.pad], unk_token="<unk>" if fam.name == "albert" else "[UNK]",
                   model_max_length=512)
        if fam.name == "albert":
            cfg.update(bos_token="[CLS]", eos_token="[SEP]")
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(cfg, f, indent=2)


def make(ref, conv, root):
    torch = ref.torch
    fam = FAMILIES[conv.family]
    folder = os.path.join(root, conv.name)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(os.path.join(folder, "input"))
    ref.log.take()
    src = conv.source_case()
    model = build_model(ref, src)
    save_model(model, os.path.join(folder, "input"), conv.source_weights)
    write_tokenizer(fam, model.config.vocab_size, os.path.join(folder, "input"))
    mod = ref.modeling(fam)
    script_cls = ref.converter(fam)
    config_cls = getattr(mod, "LSG%sConfig" % fam.stem) if conv.lsg_source else ref.transformers.AutoConfig
    here = os.getcwd()
    os.chdir(folder)
    import warnings
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            config = config_cls.from_pretrained("input")
            torch.manual_seed(conv.converter_seed)
            script = script_cls(initial_model="input", model_name="input", max_sequence_length=conv.max_length,
                                architecture=None, random_global_init=conv.random_global_init,
                                global_positional_stride=conv.stride,
                                keep_first_global_token=conv.keep_first_global_token, resize_lsg=conv.resize_lsg,
                                model_kwargs=json.dumps(conv.model_kwargs, indent=4), use_token_ids=conv.use_token_ids,
                                use_auth_token=False, config=config, save_model=False, seed=conv.converter_seed)
            converted, _ = script.process()
            save_model(converted, "output")
    finally:
        os.chdir(here)
    notes = list(dict.fromkeys(ref.log.take() + [str(w.message) for w in caught]))
    out_dir = os.path.join(folder, "output")
    lsg_class = getattr(mod, fam.lsg_class(conv.head))
    reloaded = lsg_class.from_pretrained(out_dir).eval()
    ref.log.take()
    case = conv.forward_case(reloaded.config)
    kwargs = make_inputs(case, torch, reloaded.config.num_labels, reloaded.config.vocab_size)
    if conv.head == "pretraining":   # not a head lsg4j runs: the conversion alone is compared
        kwargs, outputs, draws = {}, {}, []
    else:
        out, draws = run_forward(ref, reloaded, kwargs, False)
        outputs = output_tensors(conv.head, out, False)
    inputs = dict(kwargs)
    for k, d in enumerate(draws):
        inputs["lsh_proj.%d" % k] = d
    st.write(os.path.join(folder, "inputs.safetensors"), inputs)
    st.write(os.path.join(folder, "outputs.safetensors"), outputs)
    with open(os.path.join(out_dir, "config.json")) as f:
        out_cfg = json.load(f)
    info = dict(name=conv.name, kind="conversion", family=conv.family, **{"class": fam.lsg_class(conv.head)},
                description="%s %s source (%d position rows%s) converted to %d tokens" % (
                    "LSG" if conv.lsg_source else "plain", src.class_name(), conv.source_rows,
                    ", LSG settings %s" % SOURCE_LSG if conv.lsg_source else "", conv.max_length),
                seed=conv.seed, source_class=src.class_name(), source_config_overrides=src.config_kwargs(),
                converter_file="lsg_converter/%s/convert_%s_checkpoint.py (%s)" % (fam.dir, fam.dir, fam.converter_class),
                converter_call=dict(
                    api="%s(...).process() as LSGConverter.convert_from_pretrained calls it (save_model=False), "
                        "cwd = the case folder, torch.manual_seed(seed) just before; then save_pretrained(output)"
                        % fam.converter_class,
                    arguments=dict(max_sequence_length=conv.max_length, architecture=None,
                                   random_global_init=conv.random_global_init, global_positional_stride=conv.stride,
                                   keep_first_global_token=conv.keep_first_global_token, resize_lsg=conv.resize_lsg,
                                   use_token_ids=conv.use_token_ids, seed=conv.converter_seed),
                    model_kwargs=conv.model_kwargs),
                lsg_config={k: out_cfg.get(k) for k in LSG_KEYS + ["max_position_embeddings", "architectures"]},
                random_rows=("embeddings.global_embeddings.weight rows 1..511 (MultivariateNormal draws)"
                             if conv.random_global_init else None),
                compatibility_shims=ref.shims(fam) + [SHIM_SLOW_TOKENIZER],
                inputs=describe(inputs), outputs=describe(outputs),
                call=dict(kwargs=list(kwargs), output_hidden_states=False, return_dict=True) if kwargs else None,
                lsh_draws=dict(count=len(draws), shapes=[list(d.shape) for d in draws]) if draws else None,
                reference_warnings=notes, reference=ref.version, expect_error=None)
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump(info, f, indent=2)
    return dict(name=conv.name, family=conv.family, head=conv.head, kind="conversion", lsh_draws=len(draws),
                input_shape=list(kwargs["input_ids"].shape) if kwargs else None, expect_error=None)
