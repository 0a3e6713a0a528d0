"""gongfu: checks a county plan's monthly figures against its targets.

The public API, for scripts and notebooks (see the README's "Python API")::

    import gongfu_cli as gf

    review = gf.review("data/actuals/")      # the same answer as `gongfu check data/actuals/`
    review.to_frame()                        # one row per indicator, typed (pandas)
    gf.validate("data/actuals/").valid       # the same answer as `gongfu validate`

Names are loaded on first use, so `gongfu --help` and `import gongfu_cli` stay
instant: nothing here imports pydantic, rich or pandas until it is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gongfu_cli.api import Review, Validation, load_targets, review, validate
    from gongfu_cli.model.period import Period
    from gongfu_cli.model.problems import GongfuError, Problem
    from gongfu_cli.model.results import Evaluation, Light, Report, Status, ValidationReport
    from gongfu_cli.model.targets import Indicator, Targets

__all__ = [
    "Evaluation",
    "GongfuError",
    "Indicator",
    "Light",
    "Period",
    "Problem",
    "Report",
    "Review",
    "Status",
    "Targets",
    "Validation",
    "ValidationReport",
    "load_targets",
    "review",
    "validate",
]

_HOMES = {
    "load_targets": "gongfu_cli.api",
    "review": "gongfu_cli.api",
    "validate": "gongfu_cli.api",
    "Period": "gongfu_cli.model.period",
    "GongfuError": "gongfu_cli.model.problems",
    "Problem": "gongfu_cli.model.problems",
    "Evaluation": "gongfu_cli.model.results",
    "Light": "gongfu_cli.model.results",
    "Report": "gongfu_cli.model.results",
    "Review": "gongfu_cli.api",
    "Validation": "gongfu_cli.api",
    "Status": "gongfu_cli.model.results",
    "ValidationReport": "gongfu_cli.model.results",
    "Indicator": "gongfu_cli.model.targets",
    "Targets": "gongfu_cli.model.targets",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(_HOMES[name]), name)
    # The version is read lazily: importlib.metadata costs ~80 ms at start-up,
    # and only --version needs it. It lives in one place, pyproject.toml.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("gongfu-cli")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(name)


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
