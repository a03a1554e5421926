"""One forward case: a tiny seeded model saved as save_pretrained writes it, seeded inputs, and what the
reference computes for them (float32, plus float64 twins named *.f64 where the reference can run in
float64), in the layout of /work/shared/fixtures/lsg-roberta."""
import copy
import glob
import json
import os
import shutil
import zlib
from dataclasses import dataclass, field
from typing import Optional

from . import st
from .families import FAMILIES, HEAD_SUFFIX

LSG_DEFAULTS = dict(block_size=16, sparse_block_size=16, sparsity_factor=2, sparsity_type="norm")
LSG_KEYS = ["adaptive", "block_size", "sparse_block_size", "sparsity_factor", "sparsity_type", "num_global_tokens",
            "mask_first_token", "pool_with_global", "lsh_num_pre_rounds"]


@dataclass
class Case:
    name: str
    family: str
    head: str = "base"
    description: str = ""
    lsg: bool = True
    cfg: dict = field(default_factory=dict)   # config overrides (family spelling), over the family's tiny base
    n: int = 2
    t: int = 75
    choices: int = 0                          # > 0: multiple choice input (n, choices, t)
    lengths: Optional[list] = None            # real tokens of each (flattened) row; default: t, then shorter
    token_types: bool = False
    labels: Optional[str] = "default"         # default | none | single | multi | regression | float-single
    qa_positions: Optional[list] = None       # [[starts], [ends]]
    hidden: bool = True
    f64: bool = True
    pad_side: str = "right"
    omit: list = field(default_factory=list)  # keyword arguments left out of the call (attention_mask, ...)
    grad: Optional[str] = None                # all: every parameter trainable; head: global embeddings + the head
    weights: str = "safetensors"              # safetensors | bin (torch zip-pickle) | sharded (safetensors, 20KB shards)

    @property
    def seed(self):
        return zlib.crc32(self.name.encode()) % 100000

    def config_kwargs(self):
        fam = FAMILIES[self.family]
        kw = dict(fam.base)
        if self.lsg:
            kw.update(LSG_DEFAULTS)
        kw["max_position_embeddings"] = fam.position_rows(self.t)
        kw.update(self.cfg)
        return kw

    def class_name(self):
        fam = FAMILIES[self.family]
        return fam.lsg_class(self.head) if self.lsg else fam.plain_class(self.head)


def make_inputs(case, torch, num_labels, vocab):
    """The keyword arguments of the call: int64 ids, mask, types, labels, positions (and float labels)."""
    fam = FAMILIES[case.family]
    g = torch.Generator().manual_seed(case.seed + 1)
    rows = case.n * max(case.choices, 1)
    t = case.t
    lengths = case.lengths or [t] + [max(3, t - 17 * (i + 1)) for i in range(rows - 1)]
    assert len(lengths) == rows, case.name
    ids = torch.randint(fam.lo, fam.hi(vocab) + 1, (rows, t), generator=g)
    mask = torch.zeros(rows, t, dtype=torch.long)
    types = torch.zeros(rows, t, dtype=torch.long)
    for r, n_real in enumerate(lengths):
        real = slice(0, n_real) if case.pad_side == "right" else slice(t - n_real, t)
        row = ids[r, real].clone()
        row[0], row[-1] = fam.cls, fam.sep
        ids[r] = fam.pad
        ids[r, real] = row
        mask[r, real] = 1
        first_half = n_real // 2
        idx = torch.arange(t)[real]
        types[r, idx[first_half:]] = 1
    kwargs = {}
    shape = (case.n, case.choices, t) if case.choices else (case.n, t)
    kwargs["input_ids"] = ids.reshape(shape)
    kwargs["attention_mask"] = mask.reshape(shape)
    if case.token_types:
        kwargs["token_type_ids"] = types.reshape(shape)
    for k in case.omit:
        del kwargs[k]
    kind = case.labels
    head = case.head
    if kind == "none" or head in ("base", "pretraining"):
        return kwargs
    if head == "mlm":
        pick = (torch.rand(rows, t, generator=g) < 0.25) & (mask == 1)
        pick[0, 1] = True
        labels = torch.where(pick, ids, torch.full_like(ids, -100))
        kwargs["labels"] = labels.reshape(shape)
    elif head == "tokcls":
        labels = torch.randint(0, num_labels, (rows, t), generator=g)
        labels[mask == 0] = -100
        kwargs["labels"] = labels.reshape(shape)
    elif head == "seqcls":
        if kind in ("default", "single"):
            kwargs["labels"] = torch.randint(0, num_labels, (case.n,), generator=g)
        elif kind == "multi":
            kwargs["labels"] = (torch.rand(case.n, num_labels, generator=g) < 0.5).float()
        elif kind == "regression":
            shape_l = (case.n,) if num_labels == 1 else (case.n, num_labels)
            kwargs["labels"] = torch.randn(shape_l, generator=g)
        else:
            raise ValueError(kind)
    elif head == "qa":
        if case.qa_positions:
            kwargs["start_positions"] = torch.tensor(case.qa_positions[0])
            kwargs["end_positions"] = torch.tensor(case.qa_positions[1])
        else:
            s = torch.randint(0, t // 2, (case.n,), generator=g)
            kwargs["start_positions"] = s
            kwargs["end_positions"] = s + torch.randint(0, t // 2, (case.n,), generator=g)
    elif head == "mc":
        kwargs["labels"] = torch.randint(0, case.choices, (case.n,), generator=g)
    return kwargs


def output_tensors(head, out, hidden):
    names = {}
    if head == "base":
        names["last_hidden_state"] = out.last_hidden_state
        if getattr(out, "pooler_output", None) is not None:
            names["pooler_output"] = out.pooler_output
    elif head == "qa":
        names["start_logits"] = out.start_logits
        names["end_logits"] = out.end_logits
    else:
        names["logits"] = out.logits
    if head != "base" and getattr(out, "loss", None) is not None:
        names["loss"] = out.loss
    if hidden and out.hidden_states is not None:
        for k, h in enumerate(out.hidden_states):
            names["hidden_states.%d" % k] = h
    return {k: v.detach().clone() for k, v in names.items()}


def describe(tensors):
    return {k: {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape)} for k, v in sorted(tensors.items())}


class Recorder:
    """Wraps torch.randn during a forward, recording every draw (the lsh projections) in call order."""

    def __init__(self, torch, replay=None):
        self.torch = torch
        self.draws = []
        self.replay = replay

    def __enter__(self):
        self.orig = self.torch.randn
        torch = self.torch

        def randn(*a, **k):
            if self.replay is not None:
                x = self.replay[len(self.draws)].to(torch.get_default_dtype())
            else:
                x = self.orig(*a, **k)
            self.draws.append(x.detach().clone())
            return x
        torch.randn = randn
        return self

    def __exit__(self, *a):
        self.torch.randn = self.orig
        return False


def build_model(ref, case):
    torch = ref.torch
    fam = FAMILIES[case.family]
    if case.lsg:
        mod = ref.modeling(fam)
        config_cls = getattr(mod, "LSG%sConfig" % fam.stem)
        model_cls = getattr(mod, case.class_name())
    else:
        config_cls = getattr(ref.transformers, fam.stem + "Config")
        model_cls = getattr(ref.transformers, case.class_name())
    config = config_cls(**case.config_kwargs())
    torch.manual_seed(case.seed)
    model = model_cls(config)
    with torch.no_grad():
        for _, p in model.named_parameters():
            if p.dim() == 1:
                p.add_(0.05 * torch.randn(p.shape))
    return model.eval()


def save_model(model, folder, weights="safetensors"):
    """save_pretrained as the fixtures: config.json + model.safetensors (or pytorch_model.bin, or shards
    with their index); the copied modeling file is dropped."""
    if weights == "sharded":
        model.save_pretrained(folder, safe_serialization=True, max_shard_size="20KB")
    else:
        model.save_pretrained(folder, safe_serialization=weights == "safetensors")
    for f in glob.glob(os.path.join(folder, "*.py")):
        os.remove(f)


def run_forward(ref, model, kwargs, hidden, replay=None):
    torch = ref.torch
    with torch.no_grad(), Recorder(torch, replay) as rec:
        out = model(**kwargs, output_hidden_states=hidden, return_dict=True)
    return out, rec.draws


def run_f64(ref, model, kwargs, head, hidden, draws):
    """The same model and inputs in float64 (lsh: Tensor.float made to keep float64, draws replayed)."""
    torch = ref.torch
    m64 = copy.deepcopy(model).double()
    kw = {k: (v.double() if v.is_floating_point() else v) for k, v in kwargs.items()}
    old_default = torch.get_default_dtype()
    old_float = torch.Tensor.float
    torch.set_default_dtype(torch.float64)
    if draws:
        torch.Tensor.float = lambda self, *a, **k: self.double() if self.is_floating_point() or self.dtype == torch.bool else old_float(self, *a, **k)
    try:
        out, _ = run_forward(ref, m64, kw, hidden, replay=draws if draws else None)
    finally:
        torch.set_default_dtype(old_default)
        torch.Tensor.float = old_float
    return {k + ".f64": v for k, v in output_tensors(head, out, hidden).items()}


def trainable_names(model, case):
    """grad "all": every named parameter; "head": the model card's recipe, global embeddings and every
    parameter outside the encoder (a tied decoder weight is listed under the word embeddings: frozen)."""
    names = [n for n, _ in model.named_parameters()]
    if case.grad == "all":
        return names
    prefix = FAMILIES[case.family].prefix + "."
    return [n for n in names if "global_embeddings" in n or case.head != "base" and not n.startswith(prefix)]


def run_backward(ref, model, kwargs, case, replay=None):
    """One forward and loss.backward(): the head's loss, or last_hidden_state.pow(2).sum() for the base model."""
    torch = ref.torch
    names = set(trainable_names(model, case))
    for n, p in model.named_parameters():
        p.requires_grad_(n in names)
        p.grad = None
    with Recorder(torch, replay) as rec:
        out = model(**kwargs, output_hidden_states=case.hidden, return_dict=True)
    loss = out.last_hidden_state.pow(2).sum() if case.head == "base" else out.loss
    loss.backward()
    grads, unused = {}, []
    for n, p in model.named_parameters():
        if n in names:
            if p.grad is None:
                unused.append(n)
            grads["grad." + n] = (p.grad if p.grad is not None else torch.zeros_like(p)).detach().clone()
    if case.head == "base":
        grads["grad_loss"] = loss.detach().clone()
    return out, rec.draws, grads, unused


def grad_f64(ref, model, kwargs, case, draws):
    """The float64 twin of a gradient case: outputs and gradients, lsh draws replayed."""
    torch = ref.torch
    m64 = copy.deepcopy(model).double()
    kw = {k: (v.double() if v.is_floating_point() else v) for k, v in kwargs.items()}
    old_default, old_float = torch.get_default_dtype(), torch.Tensor.float
    torch.set_default_dtype(torch.float64)
    if draws:
        torch.Tensor.float = lambda self, *a, **k: self.double() if self.is_floating_point() or self.dtype == torch.bool else old_float(self, *a, **k)
    try:
        out, _, grads, _ = run_backward(ref, m64, kw, case, replay=draws if draws else None)
    finally:
        torch.set_default_dtype(old_default)
        torch.Tensor.float = old_float
    tensors = output_tensors(case.head, out, case.hidden)
    tensors.update(grads)
    return {k + ".f64": v for k, v in tensors.items()}


def make(ref, case, root):
    """Writes the case folder; returns its index entry."""
    torch = ref.torch
    fam = FAMILIES[case.family]
    folder = os.path.join(root, case.name)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    ref.log.take()
    info = dict(name=case.name, kind="forward", family=case.family, **{"class": case.class_name()},
                lsg=case.lsg, description=case.description, seed=case.seed,
                modeling_file=("lsg_converter/%s/modeling_lsg_%s.py" % (fam.dir, fam.dir)) if case.lsg
                else "transformers.models.%s" % fam.dir,
                key_prefix="" if case.head == "base" else fam.prefix + ".",
                config_overrides=case.config_kwargs(), compatibility_shims=ref.shims(fam, case.lsg),
                init="torch.manual_seed(seed); cls(config); every 1-D parameter += 0.05*N(0,1) (torch.randn, "
                     "named_parameters() order); eval()", reference=ref.version, expect_error=None)
    stage = "config"
    entry = dict(name=case.name, family=case.family, head=case.head, lsg=case.lsg,
                 sparsity_type=case.config_kwargs().get("sparsity_type"), hidden_states=case.hidden)
    try:
        model = build_model(ref, case)
        stage = "model"
        save_model(model, folder, case.weights)
        cfg = model.config
        num_labels = cfg.num_labels
        kwargs = make_inputs(case, torch, num_labels, cfg.vocab_size)
        stage = "forward"
        if case.grad:
            out, draws, grads, unused = run_backward(ref, model, kwargs, case)
        else:
            out, draws = run_forward(ref, model, kwargs, case.hidden)
        outputs = output_tensors(case.head, out, case.hidden)
        if case.grad:
            outputs.update(grads)
    except Exception as e:  # the reference refuses the case
        info["expect_error"] = dict(stage=stage, type=type(e).__name__, message=str(e)[:500])
        info["reference_warnings"] = ref.log.take()
        if stage == "config":
            for f in os.listdir(folder):
                os.remove(os.path.join(folder, f))
        if "kwargs" in dir():
            st.write(os.path.join(folder, "inputs.safetensors"), kwargs)
        st.write(os.path.join(folder, "outputs.safetensors"), {})
        with open(os.path.join(folder, "case.json"), "w") as f:
            json.dump(info, f, indent=2)
        entry["expect_error"] = info["expect_error"]
        return entry
    inputs = dict(kwargs)
    for k, d in enumerate(draws):
        inputs["lsh_proj.%d" % k] = d
    tensors = dict(outputs)
    if case.grad:
        tensors.update(grad_f64(ref, model, kwargs, case, draws))
        info["gradients"] = dict(trainable=trainable_names(model, case), grad_none_written_as_zero=unused,
                                 recipe=case.grad, loss="out.last_hidden_state.pow(2).sum() (stored as grad_loss)"
                                 if case.head == "base" else "out.loss (stored as loss)")
    elif case.f64:
        tensors.update(run_f64(ref, model, kwargs, case.head, case.hidden, draws))
    if case.f64 or case.grad:
        info["f32_vs_f64_max_abs_diff"] = {
            k: dict(max_abs=float((v.double() - tensors[k + ".f64"]).abs().max()),
                    max_abs_f64_value=float(tensors[k + ".f64"].abs().max())) for k, v in outputs.items()}
    if (case.f64 or case.grad) and draws:
        info["float64_note"] = "lsh: Tensor.float() returned float64 and the draws were replayed as float64"
    st.write(os.path.join(folder, "inputs.safetensors"), inputs)
    st.write(os.path.join(folder, "outputs.safetensors"), tensors)
    info["inputs"] = describe(inputs)
    info["outputs"] = describe(outputs)
    info["call"] = dict(kwargs=list(kwargs), output_hidden_states=case.hidden, return_dict=True)
    if draws:
        info["lsh_draws"] = dict(count=len(draws), shapes=[list(d.shape) for d in draws])
    info["reference_warnings"] = ref.log.take()
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump(info, f, indent=2)
    entry["lsh_draws"] = len(draws)
    entry["input_shape"] = list(kwargs["input_ids"].shape)
    entry["expect_error"] = None
    return entry
