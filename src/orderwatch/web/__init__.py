"""The orderwatch dashboard: a read-only FastAPI app with server-rendered pages.

>>> from orderwatch.web import create_app
>>> app = create_app(None)
"""

from orderwatch.web.app import create_app

__all__ = ["create_app"]
