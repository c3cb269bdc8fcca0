"""Benchmark: a synthetic national-size catalogue (python -m benchmark data) and the measurements and report (python -m benchmark run).

vocabulary  Danish-like words, compounds, inflections, typos; Zipf draws
catalogue   the synthetic rows, bulk-inserted beside the real seed
database    migrate + seed + synthetic rows + search index, in the benchmark's own database
pgserver    a throw-away PostgreSQL server from the installed binaries
queries     the Danish query mix
stats       percentiles, ratios, targets
measure     in-process figures: search vs raw full text, who-may, shiftable
load        gunicorn + wrk (wrk.lua) against the task page, search and a hello-world floor
hello       the hello-world app the load figures are compared with
pdf         role-description PDF time and peak memory in a child process
report      machine facts and the markdown report
runner      the whole `python -m benchmark run`
cli         the two commands (`python -m benchmark data|run`), outside the app: it imports kb, never the reverse
"""
