"""The web workspace: ``qa-engine serve`` (FastAPI on uvicorn, Jinja2 pages, JSON twins).

A thin face over :mod:`qa_engine.services`: every page and its ``/api/v1`` twin call the
same service function; who may see what is decided by :mod:`qa_engine.services.access`.
"""
