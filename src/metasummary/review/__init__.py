"""A review as its steps see it: the folder, the protocol and the store.

:class:`Review` is the small value every step's service is built from; it sits below the
steps and knows none of them, so no service needs the :class:`~metasummary.project.Project`
facade. :mod:`.catalog` mirrors the protocol's sources, reviewers and stages into the store
when a review is opened; ``protocol.yaml`` here is the commented template ``init`` writes.
"""

from metasummary.review.context import Review

__all__ = ["Review"]
