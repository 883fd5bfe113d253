"""Shared test set-up: no network, quiet tools, paths to the sample corpus and gold files."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "data" / "samples"
SHARED = REPO_ROOT.parent / "shared"
GOLD = SHARED / "corpus" / "dev" / "gold"
SEED_REPORT = "000_48587dbbb1d3fa97.txt"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
