"""gongfu: checks Shengsi County's monthly figures against its 2025 plan targets."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gongfu-cli")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
