"""The simulator: many games played by policies, aggregated into a balance report.

`runner` plays games (in one process or spread over several), `aggregate`
combines their results into a `Summary`, and `report` renders it as text.
Nothing here knows about terminals; the command line draws progress.
"""
