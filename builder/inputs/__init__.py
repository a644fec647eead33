"""Reading and checking ``data/``: the registry of companies, the request tables, the
announcements and the record of revisions. Every problem is a record; all are reported.
"""
