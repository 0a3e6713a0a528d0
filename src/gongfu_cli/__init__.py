"""gongfu: checks Shengsi County's monthly figures against its 2025 plan targets."""


def __getattr__(name: str) -> str:
    # The version is read lazily: importlib.metadata costs ~80 ms at start-up,
    # and only --version needs it. It lives in one place, pyproject.toml.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("gongfu-cli")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(name)
