"""newslens: compare how outlets reported the same event."""

import sys as _sys

__version__ = "0.1.0"

# jsonschema (imported by altair and nbformat) loads the optional IRI checker `rfc3987_syntax`
# when it is installed — JupyterLab's event schemas pull it in — and that package compiles a
# Lark grammar at import: 1.5–2 s of every notebook kernel and CLI start, for an "iri" format
# that no Vega-Lite spec or notebook file uses. newslens processes go without it; set
# NEWSLENS_IRI_CHECKS=1 to keep it.
if "jsonschema" not in _sys.modules and not __import__("os").environ.get("NEWSLENS_IRI_CHECKS"):
    _sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
