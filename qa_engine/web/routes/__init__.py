"""One router per resource; each page route has its JSON twin under ``/api/v1``."""
