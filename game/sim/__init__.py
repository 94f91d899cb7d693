"""The simulator: many games played by policies, aggregated into a balance report.

`runner` plays games (in one process or spread over several), `aggregate`
combines their results into a `Summary`, and `report` renders it as text.
The author's report (`airace simulate --report`) goes further: the workers
also keep `counts`, `figures` sums a run up for its author, `sections` lays
the report out, and `authors` (text, with `charts`) and `page` (a web page)
draw it. Nothing here knows about terminals; the command line draws progress.
"""
