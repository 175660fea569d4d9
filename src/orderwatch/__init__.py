"""orderwatch: where Asian states stand between two security-order concepts.

With the store built by `orderwatch build`: ``open`` reads it, ``observe`` is the read
side every surface uses.

>>> import orderwatch as ow
>>> store = ow.open()                                   # doctest: +SKIP
>>> store.countries().head()                            # doctest: +SKIP
>>> ow.observe().profile("Philippines")["headline"]     # doctest: +SKIP
"""

__version__ = "0.1.0"


def open(db=None):  # noqa: A001 - mirrors the builtin on purpose: ow.open()
    """Open the orderwatch store read-only (default path, $ORDERWATCH_DB, or ``db``)."""
    from orderwatch.store import Store

    return Store(db)


def observe(db=None):
    """The read side over the store (``db``, $ORDERWATCH_DB or the default path).

    ``obs.profile("Philippines")`` is the country profile the CLI, the dashboard and the
    reports show; ``obs.default_year()`` the year they show by default.
    """
    from orderwatch.observatory import Observatory

    return Observatory(open(db))


def __getattr__(name):
    # ``ow.plot`` without importing matplotlib at ``import orderwatch``.
    if name == "plot":
        import importlib

        return importlib.import_module("orderwatch.plot")
    raise AttributeError(f"module 'orderwatch' has no attribute {name!r}")
