"""The web dashboard and JSON API (``resetlab serve``): FastAPI, every asset served locally.

Install with ``pip install 'resetlab[web]'``. :func:`resetlab.web.app.create_app` builds the
app from a :class:`resetlab.web.settings.WebSettings`; see ``docs/web.md``.
"""
