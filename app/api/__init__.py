"""The CKAN-compatible Action API and the linked-data views (DCAT, Data Package, OpenAPI).

Every action translates CKAN's parameters into a call of the same services the HTML pages
use, and their results into CKAN's shapes; no rule lives here.
"""
from . import actions, datarequests, upload_jobs  # noqa: F401,E402  (registers every action)
