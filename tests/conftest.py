"""Shared test set-up: no network, quiet tools, paths to the sample corpus and gold files, stated values."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "data" / "samples"
SHARED = REPO_ROOT.parent / "shared"
GOLD = SHARED / "corpus" / "dev" / "gold"
SEED_REPORT = "000_48587dbbb1d3fa97.txt"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def stated_values(raw_text: str) -> set[float]:
    """Every double `raw_text` states exactly: each number written in it, signed, times a power of ten a scale
    word or a basis point may apply (hundredth, one, thousand, 万, million, 亿, billion, trillion)."""
    numbers = [Decimal(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", raw_text.translate(_FULL_WIDTH))]
    return {
        float(sign * n * Decimal(10) ** power)
        for n in numbers
        for power in (-2, 0, 3, 4, 6, 8, 9, 12)
        for sign in (1, -1)
    }


_FULL_WIDTH = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}  # ［１２］ in a raw text reads as [12]
