"""Attributed-statement extraction from English news text.

``extract_statements(article)`` returns who said what, with character offsets into the
article, whether it was quoted directly, whether the source is anonymous (and why), who
relayed it, and its stance (asserts / denies / unconfirmed / mentions).  Pure Python, rule
based, no models: reporting-verb lexicon, clause patterns, quote pairing, noun-phrase
speaker detection, and coreference by most recent compatible mention.
"""

from .extractor import extract_statements
from .model import ExtractedStatement

__all__ = ["ExtractedStatement", "extract_statements"]
