"""One Great Expectations Data Docs site per run, under `$RW_HOME/data_docs/<run_id>/`."""

from __future__ import annotations

from pathlib import Path

from pipelines.core import validation


def results_dir(data_docs_dir: Path, run_id: str) -> Path:
    """Where the asset checks of a run keep their GX results."""
    return data_docs_dir / run_id / "results"


def site_index(data_docs_dir: Path, run_id: str) -> Path:
    """The run's Data Docs entry page (exists once `build_run_site` ran)."""
    return data_docs_dir / run_id / "site" / "index.html"


def build_run_site(data_docs_dir: Path, run_id: str) -> Path | None:
    """Render every result the run's checks saved into one site; None when nothing was validated."""
    validations = validation.load_validations(results_dir(data_docs_dir, run_id))
    if not validations:
        return None
    return validation.build_data_docs(validations, site_index(data_docs_dir, run_id).parent, run_name=run_id)
