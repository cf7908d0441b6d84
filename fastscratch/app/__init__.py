"""The application: the PII classifier, its model files, batch scoring, the regex baseline, the
plots, the command line and the demo. Built on ``nets``, ``text`` and ``data``; nothing below
imports from here.
"""
