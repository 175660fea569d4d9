"""Presentation shared by the dashboard and the reports: views, charts, the map, templates.

``views`` turn the read side's rows (:mod:`orderwatch.observatory`) into what a page or a
report shows; ``charts`` and ``mapsvg`` draw server-side SVG; ``templating`` is the one
Jinja2 environment (templates, filters, globals) both render with; ``static/`` holds the
style sheet, the map script and the vendored JavaScript the dashboard serves.
"""
