"""Helpers the test modules share (not collected: no test lives here). Fixtures are in conftest.py."""
