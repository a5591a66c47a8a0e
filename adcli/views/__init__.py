"""Renderers: results and graphs in, Rich text or JSON out. No computation happens here."""
