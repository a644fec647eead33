"""One generation run: loading with caches, the plan of units, the incremental engine that
rebuilds only what changed, and the work run in parallel.
"""
