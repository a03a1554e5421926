"""Loading the PyTorch reference (the folder bash /work/shared/reference/setup.sh prints) with the
compatibility shims the public fixtures record, and small helpers around it."""
import importlib
import logging
import sys
import types

SHIMS_ATTN = "class attribute LSG{stem}Model.attn_implementation = 'eager'"
SHIM_SLOW_TOKENIZER = ("converter only: AutoTokenizer.from_pretrained called with use_fast=False (tokenizers is a "
                       "stand-in), and transformers' fallback AddedToken dataclass given __hash__ = hash(content) and "
                       "__setstate__ = __dict__.update, as the Rust AddedToken has")
SHIM_ALBERT = ("transformers.models.albert.modeling_albert.__all__ = "
               "[n for n in dir(module) if not n.startswith('_')]")


class Reference:
    """The reference's modules, loaded once per process."""

    def __init__(self, folder):
        self.folder = folder.rstrip("/")
        sys.path[:0] = [self.folder + "/site"]
        import torch
        import transformers
        self.torch = torch
        self.transformers = transformers
        # ALBERT: transformers 4.45.2 declares an __all__ without the classes the LSG file star-imports.
        import transformers.models.albert.modeling_albert as albert
        albert.__all__ = [n for n in dir(albert) if not n.startswith("_")]
        # The package __init__ of lsg_converter imports every family (bart, pegasus, ...) and fails on
        # transformers 4.45: register the package without running it, so that the family modules and
        # the converters' relative imports (..conversion_utils) resolve to the files themselves.
        pkg = types.ModuleType("lsg_converter")
        pkg.__path__ = [self.folder + "/lsg/lsg_converter"]
        sys.modules["lsg_converter"] = pkg
        self.version = "ccdv-ai/convert_checkpoint_to_lsg c56734b2da192cbe78bc072644d738ce957902ed, transformers " \
                       + transformers.__version__ + ", torch " + torch.__version__
        # The tokenizers package is a stand-in: the converters' AutoTokenizer.from_pretrained must load the
        # slow tokenizer the dummy tokenizer files name (tokenizer_class in tokenizer_config.json).
        auto = transformers.AutoTokenizer
        slow = auto.from_pretrained.__func__

        def from_pretrained(cls, *a, **k):
            k["use_fast"] = False
            return slow(cls, *a, **k)
        auto.from_pretrained = classmethod(from_pretrained)
        # Without the tokenizers package, transformers 4.45 falls back to an AddedToken dataclass with eq=True
        # and so no __hash__ (nor the __setstate__ it calls), and every slow tokenizer fails in __init__; hash it by content, as the Rust
        # AddedToken does.
        import transformers.tokenization_utils_base as tub
        if tub.AddedToken.__hash__ is None:
            tub.AddedToken.__hash__ = lambda self: hash(self.content)
            tub.AddedToken.__setstate__ = lambda self, state: self.__dict__.update(state)
        self._modules = {}
        self.log = LogCapture()

    def modeling(self, family):
        """The LSG modeling module of a family, with the eager attention shim applied."""
        if family.dir not in self._modules:
            m = importlib.import_module("lsg_converter.%s.modeling_lsg_%s" % (family.dir, family.dir))
            if family.attn_shim:
                getattr(m, "LSG%sModel" % family.stem).attn_implementation = "eager"
            self._modules[family.dir] = m
        return self._modules[family.dir]

    def converter(self, family):
        """The family's ConversionScript class."""
        m = importlib.import_module("lsg_converter.%s.convert_%s_checkpoint" % (family.dir, family.dir))
        return getattr(m, family.converter_class)

    def shims(self, family, lsg=True):
        out = []
        if lsg and family.attn_shim:
            out.append(SHIMS_ATTN.format(stem=family.stem))
        if family.name == "albert":
            out.append(SHIM_ALBERT)
        return out


class LogCapture(logging.Handler):
    """Collects what the transformers loggers (the LSG files log through them) print."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []
        logging.getLogger("transformers").addHandler(self)
        logging.getLogger().addHandler(self)

    def emit(self, record):
        msg = record.getMessage()
        if msg not in self.records:
            self.records.append(msg)

    def take(self):
        out, self.records = self.records, []
        return out
