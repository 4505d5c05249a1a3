"""Shared kernel: base models, audit, permissions, errors, forms and templating helpers."""
