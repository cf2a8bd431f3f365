"""Which feedback a learner has already seen, so that new feedback is announced until they have read it.

Kept in the learner's own answers folder beside their drafts: it is theirs and nobody else reads it.
The file has no .json suffix, so neither the drafts nor the activity sync take it for a module.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from resurskurs.core.review import Review
from resurskurs.files import write_atomically

SEEN_FILE = ".feedback-seen"


def fingerprint(review: Review) -> str:
    """Changes with every new review: another submission, another review date, another comment."""
    key = f"{review.submitted_at.isoformat()}\n{review.reviewed_at}\n{review.comment}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


class SeenFeedback:
    def __init__(self, folder: Path) -> None:
        self.file = folder / SEEN_FILE

    def is_new(self, slug: str, review: Review | None) -> bool:
        """Feedback on the latest submission that this learner has not opened yet."""
        return review is not None and review.reviewed and self._read().get(slug) != fingerprint(review)

    def mark_seen(self, slug: str, review: Review) -> None:
        seen = self._read()
        seen[slug] = fingerprint(review)
        write_atomically(self.file, json.dumps(seen, sort_keys=True).encode())

    def _read(self) -> dict[str, str]:
        """What was seen; an unreadable file counts as nothing seen, so feedback is announced once more."""
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(key): str(value) for key, value in data.items()} if isinstance(data, dict) else {}
