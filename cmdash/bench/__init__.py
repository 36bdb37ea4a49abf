"""`python -m cmdash bench`: the KPI layer timed against a DuckDB floor and a naive pandas
baseline measured in the same run (medians, ratios, peak RSS per case in a child process).

workload.py  what is measured (the overview's scan and roll-ups, the assessment, filters)
baselines.py the floor (plain scan-and-sum in DuckDB) and the naive pandas approach
cases.py     the timed cases, one line each
measure.py   medians over interleaved repeats, the filter change's statements
memory.py    peak RSS of each case in its own child process
machine.py   where the figures came from
report.py    the targets, the table and the JSON
run.py       data (generate or reuse) and the whole run
"""
