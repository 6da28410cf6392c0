"""The measures, one module per kind; run.py picks them by the names `--only` takes."""
