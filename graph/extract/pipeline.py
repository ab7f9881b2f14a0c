"""The spaCy pipeline: a statistical English model plus policykg's rule components, configured by data."""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from ..model import SUPERSCRIPT_DIGITS
from .entities import EntityComponent, register_extensions
from .statements import COMPONENT as STATEMENT_COMPONENT  # importing registers the component factory
from .themes import COMPONENT as THEME_COMPONENT  # importing registers the component factory
from .models import DEFAULT_MODELS, ModelNotFound, default_model

__all__ = ["DEFAULT_MODELS", "ModelNotFound", "default_model", "load_pipeline"]

ENTITY_COMPONENT = "policykg_entities"
# Footnote markers printed as superscript digits stick to words ("circulation"³", "²outlines"), and
# an em dash glues a bracket to the next word ("(NTEC)—this"); splitting them off keeps names, acronyms
# and quotes intact for the NER and the matchers.
_SUPERSCRIPT = rf"[{SUPERSCRIPT_DIGITS}]+"
# and bracketed ones stick to them too ("system[1],", "plan[^2]")
_BRACKETED_MARKER = r"\[\^?\d{1,3}\]"
_DASH = r"[—―]|(?<=\w)[)\]](?=[—―])"


@Language.factory(ENTITY_COMPONENT)
def make_entity_component(nlp: Language, name: str) -> EntityComponent:
    """Policies, government bodies, zones, technology and industry terms; filters for NER failure modes."""
    return EntityComponent(nlp, name)


def _split_footnote_markers(nlp: Language) -> None:
    tokenizer = nlp.tokenizer
    # Setting each of the three rebuilds all the special cases (about 0.05 s each); with the special
    # cases taken out meanwhile, they are rebuilt once, when put back (as spaCy's own from_bytes does).
    special_cases = tokenizer.rules
    tokenizer.rules = {}
    tokenizer.prefix_search = compile_prefix_regex([_SUPERSCRIPT, *nlp.Defaults.prefixes]).search
    tokenizer.suffix_search = compile_suffix_regex([_SUPERSCRIPT, _BRACKETED_MARKER, *nlp.Defaults.suffixes]).search
    tokenizer.infix_finditer = compile_infix_regex([_SUPERSCRIPT, _DASH, *nlp.Defaults.infixes]).finditer
    tokenizer.rules = special_cases


def load_pipeline(model: str | None = None) -> Language:
    """Load ``model`` (default: the first of DEFAULT_MODELS installed) and add policykg's components."""
    name = model or default_model()
    try:
        nlp = spacy.load(name, exclude=["lemmatizer"])
    except OSError as error:
        raise ModelNotFound(f"cannot load spaCy model {name!r}: {error}") from error
    _split_footnote_markers(nlp)
    register_extensions()
    nlp.add_pipe(ENTITY_COMPONENT, after="ner" if "ner" in nlp.pipe_names else None)
    nlp.add_pipe(STATEMENT_COMPONENT)
    nlp.add_pipe(THEME_COMPONENT)
    return nlp
