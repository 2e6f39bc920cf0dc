"""schema.org ClaimReview: our verdicts out (page markup, bulk export) and others' in (import).

``export`` turns published, resolved claims into ClaimReview; ``jsonld`` embeds JSON-LD in a
page so that no text can break out of its ``<script>`` element; ``reading`` finds ClaimReview
in the messy JSON, JSON-LD and HTML that fact-checkers publish; ``ratings`` maps their verdicts
to our statuses; ``importer`` writes them through the services; ``cli`` is the command line.
"""
