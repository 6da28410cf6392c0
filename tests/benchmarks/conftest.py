"""The benchmarks drive real terminals for minutes: never collected by pytest."""

collect_ignore_glob = ["*"]
