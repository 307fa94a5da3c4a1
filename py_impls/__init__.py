"""gluebench's Python tiers: one package per task, one module per tier.

The harness (``py_impls.worker``) imports tier functions lazily, by name, so a
missing optional library turns one tier into an error row instead of breaking
the others.
"""
