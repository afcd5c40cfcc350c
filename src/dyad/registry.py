"""Actor identity across articles and languages (one canonical name and id per actor).

`Registry.resolve(article)` rewrites the actors of an article's events and quotes in place to
their canonical identity.  This first version only normalises what a single article already
knows; the persistent, cross-lingual registry builds on this interface.
"""

from __future__ import annotations

from dyad.records import Article


class Registry:
    """Canonical identities of actors."""

    def resolve(self, article: Article) -> Article:
        return article


_DEFAULT: Registry | None = None


def default() -> Registry:
    """The registry used when the caller gives none (built once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Registry()
    return _DEFAULT
