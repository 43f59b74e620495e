"""The rule layer: every door (HTML, API, CLI, tests, demo loader) calls these.

Each service runs in the order check access -> validate -> save -> index -> commit.
"""
