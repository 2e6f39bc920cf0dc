"""Attributed-statement extraction from English news text.

``extract_statements(article)`` returns who said what, with character offsets into the
article, whether it was quoted directly, whether the source is anonymous (and why), who
relayed it, and its stance (asserts / denies / unconfirmed / mentions).  Pure Python, rule
based, no models: reporting-verb lexicon, clause patterns, quote pairing, noun-phrase
speaker detection, and coreference by most recent compatible mention.

``extract(article)`` is the same reading within the bounds one request may ask for
(``limits``: at most ``MAX_ARTICLE`` characters, ``TIME_BUDGET`` seconds; ``language``: English
only), with where it stopped and why: what the API and the desk call.
"""

from .extractor import extract, extract_statements
from .limits import MAX_ARTICLE, TIME_BUDGET, ArticleTooLong, check_size
from .model import ExtractedStatement, Extraction

__all__ = [
    "MAX_ARTICLE",
    "TIME_BUDGET",
    "ArticleTooLong",
    "ExtractedStatement",
    "Extraction",
    "check_size",
    "extract",
    "extract_statements",
]
