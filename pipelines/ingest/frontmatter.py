"""YAML front matter parsed defensively: no aliases, no tags that build objects, bounded size.

Only plain scalars, lists and mappings come out. Anchors and aliases (the "billion laughs" bomb
grows a few hundred bytes into gigabytes) are refused, dates stay strings so that a bad one
(`2026-13-45`) costs that field and not the whole block, and an oversized block is not parsed.
Every problem becomes a warning sentence saying what was ignored.
"""

from __future__ import annotations

import yaml

MAX_FRONT_MATTER_BYTES = 64 * 1024  # front matter is a few lines of metadata; anything bigger is not
MAX_MESSAGE_CHARS = 300  # of the parser's own message, quoted in the warning


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and leaves timestamps as strings."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "uses an alias (*name): aliases are not allowed",
                                              event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(None, None, "defines an anchor (&name): anchors are not allowed",
                                              event.start_mark)
        return super().compose_node(parent, index)


_NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def load(block: str) -> tuple[dict | None, list[str]]:
    """The front matter mapping (None when unusable) and warnings about what was ignored."""
    if len(block.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        return None, [f"front matter is over {MAX_FRONT_MATTER_BYTES // 1024} KB and was ignored"]
    try:
        meta = yaml.load(block, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        first = " ".join(str(exc).split())
        return None, [f"front matter is not usable YAML and was ignored ({first[:MAX_MESSAGE_CHARS]})"]
    except RecursionError:  # PyYAML composes nested collections recursively: `[[[[…` thousands deep
        return None, ["front matter is nested too deeply to parse and was ignored"]
    if meta is None:
        return None, []
    if not isinstance(meta, dict):
        return None, [f"front matter is a {type(meta).__name__}, not a mapping of fields, and was ignored"]
    return meta, []
