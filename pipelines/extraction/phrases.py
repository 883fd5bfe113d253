"""Regex alternations of vocabulary phrases, written as prefix trees.

A flat alternation `a|b|c` makes the regex engine try every phrase at every position; a prefix tree tries
the phrases that share a prefix once. At each node at most one branch can match the next character (the
keys are distinct; for a case-insensitive pattern `key` must merge the characters it treats alike), and a
longer tail is tried before the phrase ends, so the tree matches what the flat alternation of the same phrases,
longest first, matches: the longest phrase after which the rest of the pattern matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_Trie = dict[str, "_Trie"]
_END = ""  # trie key marking that the path so far spells a whole phrase
_ASCII = r"[\x00-\x7f]"


def alternation(phrases: Iterable[str], key: Callable[[str], str] = lambda char: char) -> str:
    """A regex (non-capturing, no flags) matching any of `phrases`, longest first."""
    trie: _Trie = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(key(char), {})
        node[_END] = {}
    return f"(?:{_branches(trie)})"


def _branches(node: _Trie) -> str:
    keys = sorted(char for char in node if char)
    if not keys:
        return ""
    ascii_keys = [char for char in keys if char.isascii()]
    other_keys = keys[len(ascii_keys) :]
    if ascii_keys and other_keys:
        # The engine tries every branch of a node in turn; a guard on each script keeps an English word
        # from being tried against hundreds of Chinese first characters.
        tails = f"(?:(?={_ASCII}){_alternatives(node, ascii_keys)}|(?!{_ASCII}){_alternatives(node, other_keys)})"
    else:
        tails = _alternatives(node, keys)
    return f"(?:{tails})?" if _END in node else tails


def _alternatives(node: _Trie, keys: list[str]) -> str:
    branches = [re.escape(char) + _branches(node[char]) for char in keys]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
