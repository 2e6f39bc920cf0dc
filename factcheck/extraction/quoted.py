"""Quotations and the frames next to them.

A quotation is *direct* when it stands as a clause of its own — at the start of the sentence
or after ``,``/``:``/a reporting verb, and complete at its end — and *partial* otherwise
("said there was 'unequivocal' proof"), in which case it is left to the reported clause
around it.  A direct quotation takes its speaker from a frame before it ("X said: '…'") or
after it ("'…,' X said"), or, with no frame, continues the previous statement ("'A,' X said.
'B.'").
"""

from __future__ import annotations

from bisect import insort

from .clause import Claim, ClauseBase
from .phrases import NounPhrase, plausible_speaker, scan_right
from .quotes import Quote

_CLOSING_PUNCT = frozenset({".", ",", ";", ":", "!", "?", ")", "—", "–"})
_DASHES = frozenset({"—", "–"})
# what a leading frame's words are when they describe the circumstances, not the content:
# 'Pierluisi said from the Hall of Mirrors, "…"'
_CIRCUMSTANCE = frozenset({"from", "at", "in", "outside", "inside", "on", "during", "after", "before", "while", "when"})


class QuoteFrames(ClauseBase):
    """Direct quotations and their frames."""

    def _quote_claims(self) -> list[Claim]:
        """Direct quotes with their frames (which are returned too, usually as non-emitting)."""
        tokens = self.tokens
        claims: list[Claim] = []
        spans = []
        index_at = {token.start: i for i, token in enumerate(tokens) if token.kind == "p"}
        for quote in self.quotes:
            open_i = index_at.get(quote.open_mark)
            close_i = index_at.get(quote.close_mark)
            if open_i is not None and close_i is not None and close_i > open_i:
                spans.append((quote, open_i, close_i))
        lo = 0
        previous_direct: Claim | None = None
        for n, (quote, open_i, close_i) in enumerate(spans):
            hi = spans[n + 1][1] if n + 1 < len(spans) else len(tokens)
            # 'X said — as reported by Y — "…"': the frame is read as if the aside were not there
            aside_at, aside_source = self._dash_aside(lo, open_i)
            if not self._is_direct(quote, lo, aside_at, close_i, hi):
                continue
            insort(self.stops, open_i)
            claim = Claim(
                open_i, quote.start, "", "say", direct=True, start=quote.start, end=quote.end, clause_tok=open_i
            )
            frame = self._leading_frame(lo, aside_at) or self._trailing_frame(close_i + 1, hi)
            if frame is not None and aside_source is not None and frame.via is None:
                frame.via = aside_source  # the aside names who passed the quotation on
            if frame is not None:
                claim.inherit_from = frame
                claim.cue_text, claim.cue_kind = frame.cue_text, frame.cue_kind
                claims.append(frame)
            elif previous_direct is not None:
                claim.inherit_from = previous_direct
                claim.cue_text, claim.cue_kind = previous_direct.cue_text, previous_direct.cue_kind
            elif all(t.kind == "p" for t in tokens[:open_i]) and not self._cue_follows(close_i + 1, hi):
                # a quotation opening the sentence continues the last speaker — unless a
                # reporting verb right after it names someone this analysis could not read
                claim.continuation = True
            else:
                continue
            claims.append(claim)
            previous_direct = claim
            lo = close_i + 1
        return claims

    def _dash_aside(self, lo: int, open_i: int) -> tuple[int, NounPhrase | None]:
        """Where a dash aside right before the quotation at ``open_i`` begins ("said — as reported
        by Y — '…'"), and the source it names after "by" or "according to"; ``open_i`` and None
        when there is none."""
        tokens = self.tokens
        if open_i - 1 <= lo or tokens[open_i - 1].text not in _DASHES:
            return open_i, None
        for b in range(open_i - 2, max(lo, open_i - 16) - 1, -1):
            if tokens[b].kind == "q" or tokens[b].text in {",", ";", ":"}:
                return open_i, None
            if tokens[b].text in _DASHES:
                if b - 1 < lo or self._cue(b - 1, frame=True) is None:
                    return open_i, None  # only an aside between a reporting verb and its quotation
                source = None
                for m in range(b + 1, open_i - 2):
                    if tokens[m].lower == "by" or (tokens[m].lower == "to" and tokens[m - 1].lower == "according"):
                        end = scan_right(tokens, m + 1, open_i - 1)
                        if end is not None and plausible_speaker(phrase := self._phrase(m + 1, end)):
                            source = phrase
                        break
                return b, source
        return open_i, None

    def _cue_follows(self, start: int, hi: int) -> bool:
        """Whether a reporting verb follows a quotation closely ("'…,' said a man who …")."""
        k = start
        while k < hi and self.tokens[k].kind == "p":
            k += 1
        return any(self._cue(i, frame=True) is not None for i in range(k, min(hi, k + 3)))

    def _is_direct(self, quote: Quote, lo: int, open_i: int, close_i: int, hi: int) -> bool:
        """A quote is a statement of its own, not a phrase quoted inside the reporter's clause."""
        tokens = self.tokens
        left = [t for t in tokens[lo:open_i] if t.kind != "p" or t.text in {",", ":", ";"}]
        left_ok = not left or left[-1].text in {",", ":", ";"} or self._cue(open_i - 1, frame=True) is not None
        if not left_ok:
            return False
        if left and left[-1].text == ":":
            return True  # "X tweeted: '…'" introduces a quotation however it ends
        if left and left[-1].text == "," and self._open_that_clause(lo, open_i):
            return False  # "reported that with the limit in place, '…'": the quote ends the clause
        inner = self.text[quote.start : quote.end].rstrip()
        if inner and inner[-1] in ".!?,;:":
            return True
        if close_i + 1 >= hi or tokens[close_i + 1].text in _CLOSING_PUNCT:
            return True
        return any(self._is_cue_start(i) for i in range(close_i + 1, min(hi, close_i + 7)))

    def _open_that_clause(self, lo: int, open_i: int) -> bool:
        """Whether a "<verb> that …" reported clause, with words of its own, runs up to ``open_i``."""
        tokens = self.tokens
        for c in range(open_i - 1, lo - 1, -1):
            cue = self._cue(c, frame=False)
            if cue is None:
                continue
            k = c + 1
            if cue.kind == "tell":
                k = scan_right(tokens, k, open_i) or k
            k = self._skip_adverbials(k, open_i)
            if k >= open_i or tokens[k].lower != "that":
                return False
            return sum(1 for t in tokens[k + 1 : open_i] if t.kind in {"w", "n"}) >= 2
        return False

    def _leading_frame(self, lo: int, open_i: int) -> Claim | None:
        """ "X said: '…'" — the last cue before the quote, if the frame ends at the quote."""
        tokens = self.tokens
        if open_i - 1 < lo or (tokens[open_i - 1].text not in {",", ":"} and self._cue(open_i - 1, True) is None):
            return None
        for c in range(open_i - 1, lo - 1, -1):
            if not (self._cue(c, frame=True) or self._is_cue_start(c)):
                continue
            frame = self.analyse_cue(c, lo, open_i, frame=True)
            if frame is None:
                return None
            words = sum(1 for t in tokens[frame.content_tok : frame.content_end_tok] if t.kind in {"w", "n", "q"})
            frame.emit = frame.has_content and frame.content_tok > c and words >= 4 \
                and tokens[frame.content_tok].lower not in _CIRCUMSTANCE
            self.consumed.add(c)
            return frame
        return None

    def _trailing_frame(self, start: int, hi: int) -> Claim | None:
        """ "'…,' X said." — a cue right after the quote whose subject follows the quote."""
        tokens = self.tokens
        k = start
        while k < hi and tokens[k].kind == "p":
            k += 1
        for c in range(k, min(hi, k + 10)):
            if not (self._cue(c, frame=True) or self._is_cue_start(c)):
                continue
            frame = self.analyse_cue(c, k, hi, frame=True)
            if frame is None or frame.speaker is None:
                return None
            if frame.subject_tok is not None and frame.subject_tok != k:
                return None
            frame.emit = False
            frame.content_tok = frame.content_end_tok = -1
            self.consumed.add(c)
            return frame
        return None
