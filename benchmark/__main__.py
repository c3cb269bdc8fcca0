"""`python -m benchmark data …` and `python -m benchmark run …` (see benchmark/cli.py)."""
from benchmark.cli import cli

cli(prog_name="python -m benchmark")
