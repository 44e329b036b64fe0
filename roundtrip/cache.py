"""A cache of files that verified clean, keyed by content hash, schema and roundtrip version.

One file per key (the format's schema fingerprint + version + the options that change a
verdict) in the user cache directory, listing the SHA-256 of every file content that verified
with no problem and no warning. A changed schema or version gives a new key, so old verdicts
are never reused.
`ROUNDTRIP_CACHE_DIR` overrides the directory (tests, CI caches).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from typing import Any

ENVIRONMENT_VARIABLE = "ROUNDTRIP_CACHE_DIR"
KEPT_KEYS = 8  # verdict files kept (most recently used first); every code edit makes a new key


def cache_directory() -> str:
    """Where verdicts are kept: $ROUNDTRIP_CACHE_DIR, else the platform's user cache dir."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured:
        return configured
    # platformdirs knows each platform's convention (XDG, ~/Library/Caches, %LOCALAPPDATA%).
    import platformdirs

    return platformdirs.user_cache_dir("roundtrip", appauthor=False)


def cache_key(fingerprint: str, options: dict[str, Any]) -> str:
    """The key of a verdict set: the format (its schema's `fingerprint`), which roundtrip
    judged, with what options.

    The code's own modification times count too, so that a developer's edit (same version)
    does not reuse verdicts of the code before it.
    """
    import roundtrip

    identity = json.dumps(
        {
            "schema": fingerprint,
            "version": roundtrip.__version__,
            "options": options,
            "code": _code_stamp(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]


def content_hash(data: bytes) -> str:
    """The hash a file's content is known by."""
    return hashlib.sha256(data).hexdigest()


class VerifiedCache:
    """The set of content hashes verified clean under one key; `add` then `save` to keep more."""

    def __init__(self, key: str, directory: str | None = None) -> None:
        self.path = os.path.join(directory or cache_directory(), f"verified-{key}.txt")
        self.known = self._read()
        self.new: list[str] = []

    def _read(self) -> set[str]:
        try:
            with open(self.path, encoding="ascii") as stream:
                return set(stream.read().split())
        except (OSError, UnicodeDecodeError):
            return set()  # no cache, or an unreadable one: verify everything

    def __contains__(self, digest: str) -> bool:
        return digest in self.known

    def add(self, digests: Iterable[str]) -> None:
        """Remember contents that verified clean."""
        for digest in digests:
            if digest not in self.known:
                self.known.add(digest)
                self.new.append(digest)

    def save(self) -> None:
        """Append what was learned; a cache that cannot be written is only a slower next run."""
        if not self.new:
            return
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            # One write in append mode: concurrent runs interleave whole lines, never lose any.
            with open(self.path, "a", encoding="ascii") as stream:
                stream.write("".join(digest + "\n" for digest in self.new))
        except OSError:
            return
        self.new = []
        _prune(os.path.dirname(self.path))


def _prune(directory: str) -> None:
    """Remove all but the KEPT_KEYS most recently written verdict files."""
    try:
        with os.scandir(directory) as entries:
            files = [
                (entry.stat().st_mtime_ns, entry.path)
                for entry in entries
                if entry.name.startswith("verified-") and entry.name.endswith(".txt")
            ]
        for _, path in sorted(files, reverse=True)[KEPT_KEYS:]:
            os.unlink(path)
    except OSError:
        return  # another run pruned first, or the directory is not ours to clean


def _code_stamp() -> int:
    package = os.path.dirname(os.path.abspath(__file__))
    with os.scandir(package) as entries:
        return max(entry.stat().st_mtime_ns for entry in entries if entry.name.endswith(".py"))
