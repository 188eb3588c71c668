"""Root pytest configuration.

Makes the relative ``--nbval-sanitize-with`` path in pyproject.toml work when
pytest is started from a sub-directory (it is resolved against the rootdir).
"""

from pathlib import Path


def pytest_configure(config):
    sanitize = getattr(config.option, "nbval_sanitize_with", None)
    if sanitize and not Path(sanitize).is_absolute():
        config.option.nbval_sanitize_with = str(config.rootpath / sanitize)
