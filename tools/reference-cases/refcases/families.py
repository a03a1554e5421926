"""What differs per family for making cases: file and class names, config key spelling, special token
ids, the position rule, and a tiny default configuration (vocab 200, hidden 32, 2 layers, 4 heads)."""
from dataclasses import dataclass, field

HEAD_SUFFIX = {
    "base": "Model",
    "mlm": "ForMaskedLM",
    "seqcls": "ForSequenceClassification",
    "tokcls": "ForTokenClassification",
    "qa": "ForQuestionAnswering",
    "mc": "ForMultipleChoice",
    "pretraining": "ForPreTraining",   # converted only (lsg4j recognises it, does not run it)
}

VOCAB = 200


@dataclass(frozen=True)
class Family:
    name: str             # case name prefix: bert, distilbert, xlm_roberta, ...
    dir: str              # lsg_converter/<dir>/modeling_lsg_<dir>.py
    stem: str             # LSG<stem>Model, <stem>Config
    prefix: str           # base_model_prefix of the task models
    attn_shim: bool       # needs LSG<stem>Model.attn_implementation = "eager"
    converter_class: str
    cls: int              # first token
    sep: int              # last real token
    pad: int
    mask: int             # mask token id (None: vocab - 1)
    lo: int               # ordinary ids lo .. hi
    hi_from_end: int      # hi = vocab - 1 - hi_from_end
    token_types: bool
    roberta_positions: bool
    keys: dict = field(default_factory=dict)   # BERT key -> this family's key
    base: dict = field(default_factory=dict)   # default tiny config (family spelling)

    def key(self, k):
        return self.keys.get(k, k)

    def mask_id(self, vocab):
        return self.mask if self.mask is not None else vocab - 1

    def hi(self, vocab):
        return vocab - 1 - self.hi_from_end

    def position_rows(self, t):
        """max_position_embeddings for inputs of t tokens."""
        return t + (2 if self.roberta_positions else 0)

    def lsg_class(self, head):
        return "LSG" + self.stem + HEAD_SUFFIX[head]

    def plain_class(self, head):
        return self.stem + HEAD_SUFFIX[head]


def _bertlike(**extra):
    d = dict(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
             layer_norm_eps=1e-12, type_vocab_size=2, initializer_range=0.1, pad_token_id=0)
    d.update(extra)
    return d


def _robertalike():
    return dict(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                layer_norm_eps=1e-5, type_vocab_size=1, initializer_range=0.1, pad_token_id=1, bos_token_id=0,
                eos_token_id=2)


BERT_IDS = dict(cls=101, sep=102, pad=0, mask=103, lo=104, hi_from_end=0)
ROBERTA_IDS = dict(cls=0, sep=2, pad=1, mask=None, lo=3, hi_from_end=1)
DISTIL_KEYS = dict(hidden_size="dim", num_hidden_layers="n_layers", num_attention_heads="n_heads",
                   intermediate_size="hidden_dim", hidden_act="activation")

FAMILIES = {f.name: f for f in [
    Family("bert", "bert", "Bert", "bert", True, "BertConversionScript", token_types=True,
           roberta_positions=False, base=_bertlike(), **BERT_IDS),
    Family("distilbert", "distilbert", "DistilBert", "distilbert", False, "DistilBertConversionScript",
           token_types=False, roberta_positions=False, keys=DISTIL_KEYS,
           base=dict(vocab_size=VOCAB, dim=32, n_layers=2, n_heads=4, hidden_dim=128, initializer_range=0.1,
                     pad_token_id=0), **BERT_IDS),
    Family("xlm_roberta", "xlm_roberta", "XLMRoberta", "roberta", True, "XLMRobertaConversionScript",
           token_types=False, roberta_positions=True, base=_robertalike(), **ROBERTA_IDS),
    Family("camembert", "camembert", "Camembert", "roberta", True, "CamembertConversionScript",
           token_types=False, roberta_positions=True, base=_robertalike(), **ROBERTA_IDS),
    Family("roberta", "roberta", "Roberta", "roberta", True, "RobertaConversionScript",
           token_types=False, roberta_positions=True, base=_robertalike(), **ROBERTA_IDS),
    Family("electra", "electra", "Electra", "electra", False, "ElectraConversionScript", token_types=True,
           roberta_positions=False, base=_bertlike(embedding_size=16), **BERT_IDS),
    Family("albert", "albert", "Albert", "albert", True, "AlbertConversionScript", token_types=True,
           roberta_positions=False,
           base=_bertlike(embedding_size=16, num_hidden_groups=1, inner_group_num=1, bos_token_id=2, eos_token_id=3),
           cls=2, sep=3, pad=0, mask=4, lo=5, hi_from_end=0),
]}
